package io.parley.gateway.presence;

import io.parley.events.Role;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Connection opens and closes queued for presence, applied one batch at a time: the first change starts a batch at
 * once; the changes that arrive while it runs wait and make the next batch together (at most {@link #MAX_BATCH}).
 * At rest a change costs what it cost alone; in a reconnect storm thousands of opens share a few transactions.
 *
 * <p>Presence is soft state: a batch that fails is tried again {@link #ATTEMPTS} times in all, a second apart, then
 * dropped with a warning. Its callers are answered after the first attempt, failed or not, so that a connection never
 * waits on presence longer than one transaction, and never fails because of it.
 */
final class PresenceChanges {

    /** The most changes one transaction applies. */
    static final int MAX_BATCH = 500;

    /** How many times a batch is applied before it is dropped. */
    static final int ATTEMPTS = 3;

    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    /** A connection opened ({@code open}) or closed, with its user's role. */
    record Change(String userId, Role role, String connectionId, boolean open, String name) {

        /** A change whose token has no display name. */
        Change(String userId, Role role, String connectionId, boolean open) {
            this(userId, role, connectionId, open, null);
        }
    }

    /** A user's presence that a batch changed: {@code online} when they now have a connection, else offline. */
    record Transition(String userId, Role role, boolean online, String name) {}

    private record Queued(Change change, CompletableFuture<Void> done, int attempt) {}

    private final Function<List<Change>, Uni<Void>> apply;
    private final Deque<Queued> pending = new ArrayDeque<>();
    private boolean running;

    /** @param apply applies one batch in one transaction; its failure sends the batch round again */
    PresenceChanges(Function<List<Change>, Uni<Void>> apply) {
        this.apply = apply;
    }

    /**
     * Queues {@code change}.
     *
     * @return completes once the first attempt of its batch ended, whatever its outcome; never fails
     */
    Uni<Void> add(Change change) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        boolean start;
        synchronized (this) {
            pending.addLast(new Queued(change, done, 1));
            start = !running;
            running = true;
        }
        if (start) {
            next();
        }
        return Uni.createFrom().completionStage(done);
    }

    /** How many changes wait for a batch (for tests and metrics). */
    synchronized int pending() {
        return pending.size();
    }

    private void next() {
        List<Queued> batch = new ArrayList<>();
        synchronized (this) {
            while (!pending.isEmpty() && batch.size() < MAX_BATCH) {
                batch.add(pending.pollFirst());
            }
            if (batch.isEmpty()) {
                running = false;
                return;
            }
        }
        Uni<Void> applied;
        try {
            applied = apply.apply(batch.stream().map(Queued::change).toList());
        } catch (RuntimeException e) {
            applied = Uni.createFrom().failure(e);
        }
        applied.subscribe().with(ok -> finished(batch, null), failure -> finished(batch, failure));
    }

    private void finished(List<Queued> batch, Throwable failure) {
        batch.forEach(q -> q.done().complete(null));
        if (failure == null) {
            next();
            return;
        }
        List<Queued> again = batch.stream()
                .filter(q -> q.attempt() < ATTEMPTS)
                .map(q -> new Queued(q.change(), q.done(), q.attempt() + 1))
                .toList();
        Log.warnf(
                "presence of %d connection changes not recorded (%s)%s",
                batch.size(),
                failure.toString(),
                again.isEmpty() ? "; dropped" : "; trying again in " + RETRY_AFTER.toSeconds() + " s");
        synchronized (this) {
            for (int i = again.size() - 1; i >= 0; i--) {
                pending.addFirst(again.get(i));
            }
        }
        Uni.createFrom()
                .voidItem()
                .onItem()
                .delayIt()
                .by(RETRY_AFTER)
                .subscribe()
                .with(ok -> next(), e -> next());
    }

    /**
     * What a batch changed in its users' presence, from their connection counts on all instances before and after it
     * (a user missing from a map has none).
     *
     * @return one transition per user whose count went from 0 up ({@code online}) or down to 0 (offline), in the order
     *         of their first change in the batch, with the role of their last change
     */
    static List<Transition> transitions(List<Change> batch, Map<String, Long> before, Map<String, Long> after) {
        Map<String, Role> roles = new LinkedHashMap<>();
        Map<String, String> names = new HashMap<>();
        batch.forEach(c -> {
            roles.put(c.userId(), c.role());
            if (c.open() && c.name() != null) {
                names.put(c.userId(), c.name());
            }
        });
        List<Transition> transitions = new ArrayList<>();
        roles.forEach((user, role) -> {
            boolean was = before.getOrDefault(user, 0L) > 0;
            boolean is = after.getOrDefault(user, 0L) > 0;
            if (was != is) {
                transitions.add(new Transition(user, role, is, is ? names.get(user) : null));
            }
        });
        return transitions;
    }
}

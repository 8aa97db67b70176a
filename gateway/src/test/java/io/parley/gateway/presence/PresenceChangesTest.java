package io.parley.gateway.presence;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.events.Role;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Plain unit tests of presence batching: what waits, what goes together, what a batch's counts mean. */
class PresenceChangesTest {

    private static PresenceChanges.Change open(String user, String connection) {
        return new PresenceChanges.Change(user, Role.CLIENT, connection, true);
    }

    private static PresenceChanges.Change close(String user, String connection) {
        return new PresenceChanges.Change(user, Role.CLIENT, connection, false);
    }

    @Test
    void changesThatArriveDuringABatchMakeTheNextBatchTogether() {
        List<List<PresenceChanges.Change>> batches = new CopyOnWriteArrayList<>();
        List<UniEmitter<? super Void>> running = new CopyOnWriteArrayList<>();
        PresenceChanges changes = new PresenceChanges(batch -> Uni.createFrom().emitter(e -> {
            batches.add(batch);
            running.add(e);
        }));

        Uni<Void> first = changes.add(open("a", "1"));
        List<Uni<Void>> waiting = new ArrayList<>();
        for (int i = 0; i < 700; i++) {
            waiting.add(changes.add(open("u" + i, "c" + i)));
        }
        assertThat(batches).hasSize(1);
        assertThat(batches.get(0)).containsExactly(open("a", "1"));
        assertThat(changes.pending()).isEqualTo(700);

        running.get(0).complete(null);
        first.await().atMost(Duration.ofSeconds(1));
        assertThat(batches).hasSize(2);
        assertThat(batches.get(1)).hasSize(PresenceChanges.MAX_BATCH);
        running.get(1).complete(null);
        assertThat(batches).hasSize(3);
        assertThat(batches.get(2)).hasSize(700 - PresenceChanges.MAX_BATCH);
        running.get(2).complete(null);
        waiting.forEach(u -> u.await().atMost(Duration.ofSeconds(1)));
        assertThat(changes.pending()).isZero();

        // idle again: the next change starts a batch of its own at once
        changes.add(close("a", "1"));
        assertThat(batches).hasSize(4);
    }

    @Test
    void aFailedBatchAnswersItsCallersAtOnceAndIsTriedAgainThenDropped() {
        List<List<PresenceChanges.Change>> attempts = new CopyOnWriteArrayList<>();
        PresenceChanges changes = new PresenceChanges(batch -> {
            attempts.add(batch);
            return Uni.createFrom().failure(new IllegalStateException("database down"));
        });

        AtomicReference<Throwable> failure = new AtomicReference<>();
        changes.add(open("a", "1")).onFailure().invoke(failure::set).await().atMost(Duration.ofSeconds(1));
        assertThat(failure.get()).isNull();

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while ((attempts.size() < PresenceChanges.ATTEMPTS || changes.pending() > 0) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(attempts)
                .hasSize(PresenceChanges.ATTEMPTS)
                .allSatisfy(b -> assertThat(b).containsExactly(open("a", "1")));
        assertThat(changes.pending()).isZero();
    }

    @Test
    void onlyCountsThatCrossZeroArePresenceChanges() {
        List<PresenceChanges.Change> batch = List.of(
                open("first", "1"), // 0 -> 1: online
                open("again", "2"), // 1 -> 2: nothing
                close("last", "3"), // 1 -> 0: offline
                open("blink", "4"),
                close("blink", "4"), // 0 -> 0 within the batch: nothing
                close("gone", "5")); // already swept: 0 -> 0, nothing
        Map<String, Long> before = Map.of("again", 1L, "last", 1L);
        Map<String, Long> after = Map.of("first", 1L, "again", 2L);

        assertThat(PresenceChanges.transitions(batch, before, after))
                .containsExactly(
                        new PresenceChanges.Transition("first", Role.CLIENT, true, null),
                        new PresenceChanges.Transition("last", Role.CLIENT, false, null));
    }

    @Test
    void aUserTakesTheRoleAndNameOfTheirLastChange() {
        List<PresenceChanges.Change> batch = List.of(
                new PresenceChanges.Change("u", Role.ADMIN, "1", true, "Ann"),
                new PresenceChanges.Change("u", Role.CLIENT, "2", true, "Ann Lee"),
                new PresenceChanges.Change("u", Role.CLIENT, "2", false));
        assertThat(PresenceChanges.transitions(batch, Map.of(), Map.of("u", 1L)))
                .containsExactly(new PresenceChanges.Transition("u", Role.CLIENT, true, "Ann Lee"));
    }
}

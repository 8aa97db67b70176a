package io.parley.conversation.inbox;

import io.parley.events.Event;
import io.parley.events.EventJson;
import io.parley.events.MessageData;
import io.parley.events.MessageEvent;
import io.parley.events.ReadMoved;
import io.parley.events.UnreadChanged;
import io.parley.kit.ProcessedEvents;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Keeps the inbox read model from message events: each conversation's last message, last seq and place in the
 * list, and each reader's position. A batch of events from one poll is applied in one transaction, each event once
 * (by its id); then the new unread counts of everyone whose count changed are published on the inbox topic, one
 * record per conversation, for the gateways to tell their connections.
 */
@ApplicationScoped
public class InboxConsumer {

    private final InboxStore store;
    private final MutinyEmitter<Record<String, Event>> unread;
    private final Duration movesKept;

    public InboxConsumer(InboxStore store, @Channel("inbox-out") MutinyEmitter<Record<String, Event>> unread,
                         @ConfigProperty(name = "parley.inbox.moves-kept", defaultValue = "1h") Duration movesKept) {
        this.store = store;
        this.unread = unread;
        this.movesKept = movesKept;
    }

    void pruneRegularly(@Observes StartupEvent start, Vertx vertx) {
        vertx.setPeriodic(Duration.ofMinutes(1).toMillis(), id -> store.pruneMoves(movesKept).subscribe().with(
                removed -> { }, failure -> Log.warnf("old list moves not pruned: %s", failure.toString())));
    }

    @Incoming("inbox-messages")
    public Uni<Void> consume(List<Event> batch) {
        List<Event> relevant = batch.stream()
                .filter(e -> e instanceof MessageEvent || e instanceof ReadMoved).toList();
        if (relevant.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return store.pool().withTransaction(tx -> ProcessedEvents.firstTimes(tx, relevant.stream().map(Event::eventId).toList())
                        .chain(fresh -> apply(tx, relevant.stream().filter(e -> fresh.contains(e.eventId())).toList())))
                .chain(this::publish);
    }

    /**
     * Applies a batch's new events, in their order per conversation (their partition's order): for each conversation
     * its latest new message, every changed message after that, and every reader's furthest position (a sender has
     * read their own message); then reads the counts of everyone the batch concerns.
     */
    private Uni<List<UnreadChanged>> apply(SqlClient tx, List<Event> events) {
        Map<UUID, InboxStore.Latest> latest = new LinkedHashMap<>();
        Map<UUID, String> answeredBy = new HashMap<>();
        Map<UUID, Wait> waits = new HashMap<>();
        List<MessageEvent> changed = new ArrayList<>();
        Map<Reader, InboxStore.Position> positions = new LinkedHashMap<>();
        Map<UUID, Set<String>> touched = new LinkedHashMap<>();
        for (Event event : events) {
            if (event instanceof ReadMoved read) {
                position(positions, read.conversationId(), read.userId(), read.seq());
                touched.computeIfAbsent(read.conversationId(), id -> new LinkedHashSet<>()).add(read.userId());
                continue;
            }
            MessageEvent message = (MessageEvent) event;
            MessageData m = message.message();
            String json = new String(EventJson.writeValue(m), StandardCharsets.UTF_8);
            if (!MessageEvent.CREATED.equals(message.type())) {
                changed.add(message);
                continue;
            }
            boolean fromAdmin = "admin".equals(m.senderRole());
            if (fromAdmin) {
                answeredBy.put(m.conversationId(), m.senderId());
            }
            waits.merge(m.conversationId(), Wait.of(fromAdmin, m.createdAt().toString()), Wait::then);
            InboxStore.Latest before = latest.get(m.conversationId());
            if (before == null || before.seq() < m.seq()) {
                latest.put(m.conversationId(), new InboxStore.Latest(m.conversationId(), m.seq(), json,
                        m.createdAt().toString(), fromAdmin, null, null, false));
            }
            position(positions, m.conversationId(), m.senderId(), m.seq());
            Set<String> users = touched.computeIfAbsent(m.conversationId(), id -> new LinkedHashSet<>());
            users.addAll(message.participants());
            users.add(m.senderId());
        }
        List<InboxStore.Latest> last = latest.values().stream()
                .map(l -> new InboxStore.Latest(l.conversationId(), l.seq(), l.messageJson(), l.createdAt(),
                        l.fromAdmin(), answeredBy.get(l.conversationId()), waits.get(l.conversationId()).since(),
                        waits.get(l.conversationId()).adminSeen()))
                .toList();
        Uni<Void> chain = store.messagesCreated(tx, last);
        for (MessageEvent message : changed) {
            chain = chain.chain(() -> store.messageChanged(tx, message.conversationId(), message.message().seq(),
                    new String(EventJson.writeValue(message.message()), StandardCharsets.UTF_8)));
        }
        List<UUID> conversations = new ArrayList<>();
        List<String> users = new ArrayList<>();
        touched.forEach((conversation, members) -> members.forEach(user -> {
            conversations.add(conversation);
            users.add(user);
        }));
        Instant now = Instant.now();
        return chain.chain(() -> store.read(tx, List.copyOf(positions.values())))
                .chain(() -> store.counts(tx, conversations, users))
                .map(counts -> counts.entrySet().stream()
                        .map(e -> UnreadChanged.of(e.getKey(), e.getValue(), now)).toList());
    }

    /**
     * The wait a batch's new messages of one conversation describe, in their order: whether an admin message is among
     * them, and the createdAt of the first message not from an admin after the last admin one (null if none).
     */
    record Wait(boolean adminSeen, String since) {
        static Wait of(boolean fromAdmin, String createdAt) {
            return fromAdmin ? new Wait(true, null) : new Wait(false, createdAt);
        }

        /** This wait followed by {@code next}, a later message's. */
        Wait then(Wait next) {
            if (next.adminSeen()) {
                return new Wait(true, null);
            }
            return new Wait(adminSeen, since != null ? since : next.since());
        }
    }

    /** A reader in a conversation: the pair itself is the key, never a string made of the two. */
    private record Reader(UUID conversationId, String userId) {
    }

    private static void position(Map<Reader, InboxStore.Position> positions, UUID conversation, String user, long seq) {
        positions.merge(new Reader(conversation, user), new InboxStore.Position(conversation, user, seq),
                (a, b) -> a.seq() >= b.seq() ? a : b);
    }

    /**
     * Hands the batch's counts to the Kafka producer without waiting for the broker, so the next batch is applied
     * meanwhile; the producer keeps each conversation's records in order. Counts are derived state: one that is lost
     * is corrected by the next change or by GET /api/unread.
     */
    private Uni<Void> publish(List<UnreadChanged> changes) {
        for (UnreadChanged change : changes) {
            unread.sendAndForget(Record.of(change.key(), change));
        }
        return Uni.createFrom().voidItem();
    }
}

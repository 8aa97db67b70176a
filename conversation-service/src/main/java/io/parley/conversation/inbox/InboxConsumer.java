package io.parley.conversation.inbox;

import io.parley.events.Event;
import io.parley.events.EventJson;
import io.parley.events.MessageEvent;
import io.parley.events.ReadMoved;
import io.parley.events.UnreadChanged;
import io.parley.kit.ProcessedEvents;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
        Map<UUID, Set<String>> touched = new LinkedHashMap<>();
        return store.pool().withTransaction(tx -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (Event event : batch) {
                        if (event instanceof MessageEvent || event instanceof ReadMoved) {
                            chain = chain.chain(() -> ProcessedEvents.firstTime(tx, event.eventId())
                                    .chain(first -> first ? apply(tx, event, touched) : Uni.createFrom().voidItem()));
                        }
                    }
                    return chain.chain(() -> counts(tx, touched));
                })
                .chain(this::publish);
    }

    private Uni<Void> apply(SqlClient tx, Event event, Map<UUID, Set<String>> touched) {
        if (event instanceof ReadMoved read) {
            touched.computeIfAbsent(read.conversationId(), id -> new LinkedHashSet<>()).add(read.userId());
            return store.read(tx, read.conversationId(), read.userId(), read.seq());
        }
        MessageEvent message = (MessageEvent) event;
        JsonObject json = new JsonObject(Buffer.buffer(EventJson.writeValue(message.message())));
        if (!MessageEvent.CREATED.equals(message.type())) {
            return store.messageChanged(tx, message.message(), json);
        }
        Set<String> users = touched.computeIfAbsent(message.conversationId(), id -> new LinkedHashSet<>());
        users.addAll(message.participants());
        users.add(message.message().senderId());
        return store.messageCreated(tx, message.message(), json);
    }

    private Uni<List<UnreadChanged>> counts(SqlClient tx, Map<UUID, Set<String>> touched) {
        List<UnreadChanged> changes = new ArrayList<>();
        Uni<Void> chain = Uni.createFrom().voidItem();
        Instant now = Instant.now();
        for (Map.Entry<UUID, Set<String>> entry : touched.entrySet()) {
            chain = chain.chain(() -> store.counts(tx, entry.getKey(), entry.getValue()).invoke(counts -> {
                if (!counts.isEmpty()) {
                    changes.add(UnreadChanged.of(entry.getKey(), counts, now));
                }
            }).replaceWithVoid());
        }
        return chain.replaceWith(changes);
    }

    /** Counts are derived state: one that is lost is corrected by the next change or by GET /api/unread. */
    private Uni<Void> publish(List<UnreadChanged> changes) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (UnreadChanged change : changes) {
            chain = chain.chain(() -> unread.send(Record.of(change.key(), change))
                    .onFailure().invoke(e -> Log.warnf("unread counts of %s not published: %s",
                            change.conversationId(), e.toString()))
                    .onFailure().recoverWithNull());
        }
        return chain;
    }
}

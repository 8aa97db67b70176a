package io.parley.message.events;

import io.parley.events.ConversationCreated;
import io.parley.events.Event;
import io.parley.events.ParticipantAdded;
import io.parley.events.ParticipantRemoved;
import io.parley.kit.ProcessedEvents;
import io.parley.message.store.MembershipStore;
import io.parley.message.store.ReplicaPositionStore;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Keeps the membership replica from the conversation-service's events, each applied once. With each record's effect,
 * in the same transaction, it records how far its partition is applied ({@link ReplicaPositionStore}), also for a
 * record it skips (unreadable, or a duplicate), so that {@code POST /internal/replica/sync} can tell when the replica
 * holds everything a partition held.
 */
@ApplicationScoped
public class ConversationEventsConsumer {

    private final MembershipStore store;
    private final ReplicaPositionStore positions;

    public ConversationEventsConsumer(MembershipStore store, ReplicaPositionStore positions) {
        this.store = store;
        this.positions = positions;
    }

    /**
     * Applies one record of {@code parley.conversation-events} and acknowledges it once committed; a failure nacks it
     * (the channel's failure strategy decides what follows).
     *
     * @param record the record: its payload is null when the connector could not read it
     */
    @Incoming("conversation-events")
    @SuppressWarnings("unchecked")
    public Uni<Void> consume(Message<Event> record) {
        Event event = record.getPayload();
        IncomingKafkaRecordMetadata<String, Event> where =
                record.getMetadata(IncomingKafkaRecordMetadata.class).orElse(null);
        return store.pool().withTransaction(tx -> apply(tx, event)
                        .chain(() -> where == null
                                ? Uni.createFrom().voidItem()
                                : positions.advance(tx, where.getPartition(), where.getOffset() + 1)))
                .onItemOrFailure().transformToUni((done, failure) -> failure == null
                        ? Uni.createFrom().completionStage(record.ack())
                        : Uni.createFrom().completionStage(record.nack(failure)));
    }

    private Uni<Void> apply(SqlClient tx, Event event) {
        if (event == null) {
            // A record nobody can read was logged by the connector; skipping it keeps the partition moving.
            return Uni.createFrom().voidItem();
        }
        return ProcessedEvents.firstTime(tx, event.eventId())
                .chain(first -> {
                    if (!first) {
                        Log.debugf("duplicate event %s dropped", event.eventId());
                        return Uni.createFrom().voidItem();
                    }
                    if (event instanceof ConversationCreated e) {
                        return store.apply(tx, e);
                    }
                    if (event instanceof ParticipantAdded e) {
                        return store.apply(tx, e);
                    }
                    if (event instanceof ParticipantRemoved e) {
                        return store.apply(tx, e);
                    }
                    return Uni.createFrom().voidItem();
                });
    }
}

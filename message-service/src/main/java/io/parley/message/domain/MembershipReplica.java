package io.parley.message.domain;

import io.parley.events.ConversationCreated;
import io.parley.events.Event;
import io.parley.events.ParticipantAdded;
import io.parley.events.ParticipantRemoved;
import io.parley.kit.ProcessedEvents;
import io.parley.message.store.MembershipStore;
import io.parley.message.store.ReplicaPositionStore;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Keeps the membership replica from the conversation-service's events, each applied once. With each record's effect,
 * in the same transaction, it records how far its partition is applied ({@link ReplicaPositionStore}), also for a
 * record it skips (unreadable, or a duplicate), so that {@link ReplicaSync} can tell when the replica holds everything
 * a partition held.
 */
@ApplicationScoped
public class MembershipReplica {

    private final Pool pool;
    private final MembershipStore store;
    private final ReplicaPositionStore positions;

    public MembershipReplica(Pool pool, MembershipStore store, ReplicaPositionStore positions) {
        this.pool = pool;
        this.store = store;
        this.positions = positions;
    }

    /**
     * Applies one record in one transaction.
     *
     * @param event     the record's event; null for a record nobody could read (skipped, its position recorded)
     * @param partition the record's partition of {@code parley.conversation-events}; null when not known (then no
     *                  position is recorded)
     * @param offset    the record's offset in it
     * @return completion once committed
     */
    public Uni<Void> apply(Event event, Integer partition, long offset) {
        return pool.withTransaction(tx -> apply(tx, event)
                .chain(() -> partition == null
                        ? Uni.createFrom().voidItem()
                        : positions.advance(tx, partition, offset + 1)));
    }

    private Uni<Void> apply(SqlClient tx, Event event) {
        if (event == null) {
            // A record nobody can read was logged by the connector; skipping it keeps the partition moving.
            return Uni.createFrom().voidItem();
        }
        return ProcessedEvents.firstTime(tx, event.eventId()).chain(first -> {
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

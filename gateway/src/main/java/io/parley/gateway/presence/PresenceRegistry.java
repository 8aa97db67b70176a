package io.parley.gateway.presence;

import io.parley.events.Event;
import io.parley.events.PresenceChanged;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;

import java.time.Instant;
import java.util.UUID;

/**
 * Which users have open connections, across every gateway instance. A user's first connection publishes
 * {@code online}, the close of their last one publishes {@code offline}.
 */
@ApplicationScoped
public class PresenceRegistry {

    /** This process's identity among the gateway instances. */
    private final String instanceId = UUID.randomUUID().toString();
    private final Pool pool;
    private final MutinyEmitter<Record<String, Event>> presenceEvents;

    public PresenceRegistry(Pool pool, @Channel("presence-events") MutinyEmitter<Record<String, Event>> presenceEvents) {
        this.pool = pool;
        this.presenceEvents = presenceEvents;
    }

    public String instanceId() {
        return instanceId;
    }

    public Uni<Void> opened(String userId, String role, String connectionId) {
        return pool.withTransaction(tx -> lockUser(tx, userId)
                        .chain(() -> tx.preparedQuery("""
                                        INSERT INTO presence_connection (connection_id, user_id, instance_id)
                                        VALUES ($1, $2, $3) ON CONFLICT DO NOTHING""")
                                .execute(Tuple.of(connectionId, userId, instanceId)))
                        .chain(() -> countConnections(tx, userId)))
                .chain(count -> count == 1 ? publish(userId, role, true) : Uni.createFrom().voidItem());
    }

    public Uni<Void> closed(String userId, String role, String connectionId) {
        return pool.withTransaction(tx -> lockUser(tx, userId)
                        .chain(() -> tx.preparedQuery("DELETE FROM presence_connection WHERE connection_id = $1")
                                .execute(Tuple.of(connectionId)))
                        .chain(deleted -> deleted.rowCount() == 0
                                ? Uni.createFrom().item(-1L)
                                : countConnections(tx, userId)))
                .chain(count -> count == 0 ? publish(userId, role, false) : Uni.createFrom().voidItem());
    }

    /** How many open connections {@code userId} has on all instances. */
    public Uni<Long> connections(String userId) {
        return countConnections(pool, userId);
    }

    private static Uni<Void> lockUser(SqlClient tx, String userId) {
        // Serialises the opens and closes of one user across instances, so online/offline alternate correctly.
        return tx.preparedQuery("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
                .execute(Tuple.of(userId)).replaceWithVoid();
    }

    private static Uni<Long> countConnections(SqlClient client, String userId) {
        return client.preparedQuery("SELECT count(*) FROM presence_connection WHERE user_id = $1")
                .execute(Tuple.of(userId))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    private Uni<Void> publish(String userId, String role, boolean online) {
        PresenceChanged event = PresenceChanged.of(userId, role, online, Instant.now());
        return presenceEvents.send(Record.of(event.key(), event));
    }
}

package io.parley.gateway.presence;

import io.parley.events.Event;
import io.parley.events.PresenceChanged;
import io.parley.events.Role;
import io.parley.gateway.config.GatewayConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Which users have open connections, across every gateway instance. A user's first connection publishes
 * {@code online}, the close of their last one publishes {@code offline}.
 */
@ApplicationScoped
public class PresenceRegistry {

    /** This process's identity among the gateway instances ({@code parley.gateway.instance}). */
    private final String instanceId;

    private final Pool pool;
    private final MutinyEmitter<Record<String, Event>> presenceEvents;

    private final Duration deadAfter;

    /**
     * @param config this instance's id ({@code parley.gateway.instance}) and how long an instance may stay silent
     *               ({@code parley.gateway.dead-after})
     */
    public PresenceRegistry(
            Pool pool,
            @Channel("presence-events") MutinyEmitter<Record<String, Event>> presenceEvents,
            GatewayConfig config) {
        this.pool = pool;
        this.presenceEvents = presenceEvents;
        this.instanceId = config.gateway().instance();
        this.deadAfter = config.gateway().deadAfter();
    }

    /** Registers this instance before it accepts connections. */
    void start(@Observes StartupEvent event) {
        heartbeat().await().atMost(Duration.ofSeconds(30));
    }

    /** Every {@code parley.gateway.heartbeat-interval}: beats, then sweeps the dead instances; a failure is logged. */
    @Scheduled(
            every = "${parley.gateway.heartbeat-interval}",
            delayed = "${parley.gateway.heartbeat-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> beat() {
        return heartbeat().chain(this::sweepDeadInstances).onFailure().recoverWithItem(e -> {
            Log.warnf("presence heartbeat failed: %s", e.toString());
            return null;
        });
    }

    private Uni<Void> heartbeat() {
        return pool.preparedQuery("INSERT INTO gateway_instance (id, heartbeat_at) VALUES ($1, now()) "
                        + "ON CONFLICT (id) DO UPDATE SET heartbeat_at = now()")
                .execute(Tuple.of(instanceId))
                .replaceWithVoid();
    }

    /**
     * Removes the instances silent for longer than dead-after with their connections, and publishes offline for each
     * of their users who has no connection left anywhere (checked under the user's lock, like a close).
     */
    Uni<Void> sweepDeadInstances() {
        return pool.preparedQuery(
                        "WITH dead AS (DELETE FROM gateway_instance "
                                + "WHERE heartbeat_at < now() - make_interval(secs => $1) RETURNING id) "
                                + "DELETE FROM presence_connection WHERE instance_id IN (SELECT id FROM dead) RETURNING user_id")
                .execute(Tuple.of((double) deadAfter.toMillis() / 1000))
                .chain(rows -> {
                    Set<String> users = new HashSet<>();
                    rows.forEach(row -> users.add(row.getString(0)));
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (String userId : users) {
                        chain = chain.chain(() -> pool.withTransaction(
                                        tx -> lockUser(tx, userId).chain(() -> countConnections(tx, userId)))
                                .chain(count -> count == 0
                                        ? publish(userId, null, false)
                                        : Uni.createFrom().voidItem()));
                    }
                    return chain;
                });
    }

    public String instanceId() {
        return instanceId;
    }

    public Uni<Void> opened(String userId, Role role, String connectionId) {
        return pool.withTransaction(tx -> lockUser(tx, userId)
                        .chain(() -> tx.preparedQuery("""
                                        INSERT INTO presence_connection (connection_id, user_id, instance_id)
                                        VALUES ($1, $2, $3) ON CONFLICT DO NOTHING""").execute(Tuple.of(connectionId, userId, instanceId)))
                        .chain(() -> countConnections(tx, userId)))
                .chain(count -> count == 1
                        ? publish(userId, role, true)
                        : Uni.createFrom().voidItem());
    }

    public Uni<Void> closed(String userId, Role role, String connectionId) {
        return pool.withTransaction(tx -> lockUser(tx, userId)
                        .chain(() -> tx.preparedQuery("DELETE FROM presence_connection WHERE connection_id = $1")
                                .execute(Tuple.of(connectionId)))
                        .chain(deleted ->
                                deleted.rowCount() == 0 ? Uni.createFrom().item(-1L) : countConnections(tx, userId)))
                .chain(count -> count == 0
                        ? publish(userId, role, false)
                        : Uni.createFrom().voidItem());
    }

    /** How many open connections {@code userId} has on all instances. */
    public Uni<Long> connections(String userId) {
        return countConnections(pool, userId);
    }

    private static Uni<Void> lockUser(SqlClient tx, String userId) {
        // Serialises the opens and closes of one user across instances, so online/offline alternate correctly.
        // Presence is soft state, asserted again by every connection and heartbeat: its commits need not wait for
        // the WAL to reach the disk (a PostgreSQL crash could forget the last fraction of a second of it, never a
        // message), which keeps a reconnect storm from queueing behind the flushes of the send path.
        return tx.preparedQuery("SELECT set_config('synchronous_commit', 'off', true), "
                        + "pg_advisory_xact_lock(hashtextextended($1, 0))")
                .execute(Tuple.of(userId))
                .replaceWithVoid();
    }

    private static Uni<Long> countConnections(SqlClient client, String userId) {
        return client.preparedQuery("SELECT count(*) FROM presence_connection WHERE user_id = $1")
                .execute(Tuple.of(userId))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    private Uni<Void> publish(String userId, Role role, boolean online) {
        PresenceChanged event = PresenceChanged.of(userId, role, online, Instant.now());
        return presenceEvents.send(Record.of(event.key(), event));
    }
}

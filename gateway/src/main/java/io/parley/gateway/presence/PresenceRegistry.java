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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    /** Opens and closes waiting for their batch. */
    private final PresenceChanges changes;

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
        this.changes = new PresenceChanges(this::apply);
    }

    /**
     * Registers this instance before it accepts connections, after forgetting the connections a predecessor with the
     * same id left behind ({@link #forgetPredecessor()}).
     */
    void start(@Observes StartupEvent event) {
        forgetPredecessor()
                .ifNoItem()
                .after(Duration.ofSeconds(10))
                .fail()
                .onFailure()
                .invoke(e -> Log.warnf("connections left by a predecessor not (all) removed: %s", e.toString()))
                .onFailure()
                .recoverWithNull()
                .chain(this::heartbeat)
                .await()
                .atMost(Duration.ofSeconds(30));
    }

    /**
     * Removes the connections recorded under this instance's id before it started, and publishes offline for each of
     * their users who has no connection left anywhere. A gateway whose id is fixed ({@code PARLEY_GATEWAY_INSTANCE}, a
     * pod's name in deploy/k8s) and that is started again after a crash would otherwise beat under its predecessor's
     * id and keep the connections it never closed, and their users online, for ever: no sweep takes a beating instance
     * for dead.
     *
     * @return completes once the rows are gone and the offline events handed to Kafka
     */
    public Uni<Void> forgetPredecessor() {
        return pool.preparedQuery("DELETE FROM presence_connection WHERE instance_id = $1 RETURNING user_id, role")
                .execute(Tuple.of(instanceId))
                .chain(this::offlineWhereNoneLeft);
    }

    /** Every {@code parley.gateway.heartbeat-interval}: beats, then sweeps the dead instances; a failure is logged. */
    @Scheduled(
            skipExecutionIf = Scheduled.ApplicationNotRunning.class,
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
        return pool.preparedQuery("WITH dead AS (DELETE FROM gateway_instance "
                        + "WHERE heartbeat_at < now() - make_interval(secs => $1) RETURNING id) "
                        + "DELETE FROM presence_connection WHERE instance_id IN (SELECT id FROM dead) "
                        + "RETURNING user_id, role")
                .execute(Tuple.of((double) deadAfter.toMillis() / 1000))
                .chain(this::offlineWhereNoneLeft);
    }

    /**
     * For each user of the removed {@code rows} ({@code user_id}, {@code role} columns): offline if no connection is
     * left, with the role of one of their removed connections (a row from before roles were recorded has none: the
     * change then carries no role, which its consumers accept).
     */
    private Uni<Void> offlineWhereNoneLeft(io.vertx.mutiny.sqlclient.RowSet<io.vertx.mutiny.sqlclient.Row> rows) {
        Map<String, Role> users = new HashMap<>(); // a null value: no role recorded
        rows.forEach(row -> {
            String role = row.getString(1);
            if (role != null) {
                users.put(row.getString(0), Role.fromWire(role));
            } else {
                users.putIfAbsent(row.getString(0), null);
            }
        });
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Map.Entry<String, Role> user : users.entrySet()) {
            String userId = user.getKey();
            Role role = user.getValue();
            chain = chain.chain(() -> pool.withTransaction(
                            tx -> lockUser(tx, userId).chain(() -> countConnections(tx, userId)))
                    .chain(count -> count == 0
                            ? publish(userId, role, false, null)
                            : Uni.createFrom().voidItem()));
        }
        return chain;
    }

    public String instanceId() {
        return instanceId;
    }

    /**
     * Records a connection of {@code userId} opened on this instance; the user's first connection anywhere publishes
     * {@code online}, with {@code name}, the display name of the connection's token (null when it has none). Opens and closes are applied in batches (see {@link PresenceChanges}): one transaction for all
     * those that arrive while the one before runs, so that a reconnect storm costs a transaction per batch, not per
     * connection.
     *
     * @return completes once the batch holding this open is committed and its events handed to Kafka; never fails
     *         (presence is soft state: a batch that cannot be applied is tried again, then logged and dropped)
     */
    public Uni<Void> opened(String userId, Role role, String connectionId, String name) {
        return changes.add(new PresenceChanges.Change(userId, role, connectionId, true, name));
    }

    /**
     * Records the close of a connection; the user's last connection anywhere publishes {@code offline}.
     *
     * @return as {@link #opened}
     */
    public Uni<Void> closed(String userId, Role role, String connectionId) {
        return changes.add(new PresenceChanges.Change(userId, role, connectionId, false));
    }

    /**
     * Applies one batch of opens and closes in one transaction: each user of the batch locked (in one order, so that
     * instances never deadlock), their connection counts before, the rows inserted and deleted, their counts after;
     * then {@code online} for each user whose count went from 0 up, {@code offline} for each whose count went to 0.
     */
    private Uni<Void> apply(List<PresenceChanges.Change> batch) {
        List<String> users =
                batch.stream().map(PresenceChanges.Change::userId).distinct().toList();
        String[] userArray = users.toArray(String[]::new);
        List<PresenceChanges.Change> opens =
                batch.stream().filter(PresenceChanges.Change::open).toList();
        String[] closes = batch.stream()
                .filter(c -> !c.open())
                .map(PresenceChanges.Change::connectionId)
                .toArray(String[]::new);
        return pool.withTransaction(tx -> lockUsers(tx, userArray)
                        .chain(() -> countConnections(tx, userArray))
                        .chain(before -> tx.preparedQuery("""
                                        INSERT INTO presence_connection (connection_id, user_id, instance_id, role)
                                        SELECT t.connection_id, t.user_id, $3, t.role
                                        FROM unnest($1::text[], $2::text[], $4::text[]) AS t(connection_id, user_id, role)
                                        ON CONFLICT DO NOTHING""")
                                .execute(Tuple.of(
                                        opens.stream()
                                                .map(PresenceChanges.Change::connectionId)
                                                .toArray(String[]::new),
                                        opens.stream()
                                                .map(PresenceChanges.Change::userId)
                                                .toArray(String[]::new),
                                        instanceId,
                                        opens.stream()
                                                .map(c -> c.role() == null
                                                        ? null
                                                        : c.role().wire())
                                                .toArray(String[]::new)))
                                .chain(() -> tx.preparedQuery(
                                                "DELETE FROM presence_connection WHERE connection_id = ANY($1)")
                                        .execute(Tuple.of((Object) closes)))
                                .chain(() -> countConnections(tx, userArray))
                                .map(after -> PresenceChanges.transitions(batch, before, after))))
                .chain(transitions -> {
                    if (transitions.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    List<Uni<Void>> sends = new ArrayList<>();
                    // committed: a send that fails is logged, not applied again (the rows are already there)
                    transitions.forEach(t -> sends.add(publish(t.userId(), t.role(), t.online(), t.name())
                            .onFailure()
                            .recoverWithItem(e -> {
                                Log.warnf("presence of %s not published: %s", t.userId(), e.toString());
                                return null;
                            })));
                    return Uni.join().all(sends).andFailFast().replaceWithVoid();
                });
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

    private static Uni<Void> lockUsers(SqlClient tx, String[] userIds) {
        // As lockUser, for every user of a batch, taken in the order of their lock keys.
        return tx.preparedQuery("SELECT set_config('synchronous_commit', 'off', true), "
                        + "(SELECT count(pg_advisory_xact_lock(k)) FROM (SELECT DISTINCT hashtextextended(u, 0) AS k "
                        + "FROM unnest($1::text[]) AS u ORDER BY k) keys)")
                .execute(Tuple.of((Object) userIds))
                .replaceWithVoid();
    }

    /** The number of connections of each of {@code userIds} on all instances (absent: none). */
    private static Uni<Map<String, Long>> countConnections(SqlClient client, String[] userIds) {
        return client.preparedQuery(
                        "SELECT user_id, count(*) FROM presence_connection WHERE user_id = ANY($1) GROUP BY user_id")
                .execute(Tuple.of((Object) userIds))
                .map(rows -> {
                    Map<String, Long> counts = new HashMap<>();
                    rows.forEach(row -> counts.put(row.getString(0), row.getLong(1)));
                    return counts;
                });
    }

    private static Uni<Long> countConnections(SqlClient client, String userId) {
        return client.preparedQuery("SELECT count(*) FROM presence_connection WHERE user_id = $1")
                .execute(Tuple.of(userId))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    private Uni<Void> publish(String userId, Role role, boolean online, String name) {
        PresenceChanged event = PresenceChanged.of(userId, role, online, Instant.now(), name);
        return presenceEvents.send(Record.of(event.key(), event));
    }
}

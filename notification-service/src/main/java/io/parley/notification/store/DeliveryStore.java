package io.parley.notification.store;

import io.parley.notification.domain.PushSubscription;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Turning due pending alerts into deliveries, and deliveries into pushes: claims, leases, retries. Every step is one
 * statement, safe with several instances (rows are claimed with SKIP LOCKED).
 */
@ApplicationScoped
public class DeliveryStore {

    private final Pool pool;

    public DeliveryStore(Pool pool) {
        this.pool = pool;
    }

    public Pool pool() {
        return pool;
    }

    /**
     * A pending alert whose delay is over, removed from the pending ones, with what decides it: whether its user is
     * online now, whether they muted the conversation, and their total unread (the badge).
     */
    public record Due(String userId, UUID conversationId, long lastSeq, int messageCount, String lastSenderName,
                      String lastPreview, boolean online, boolean muted, long badge) {
    }

    public Uni<List<Due>> claimDue(SqlClient tx, int limit) {
        return tx.preparedQuery("""
                        WITH due AS (
                            DELETE FROM pending_alert WHERE (user_id, conversation_id) IN (
                                SELECT user_id, conversation_id FROM pending_alert WHERE due_at <= now()
                                ORDER BY due_at LIMIT $1 FOR UPDATE SKIP LOCKED)
                            RETURNING *)
                        SELECT due.user_id, due.conversation_id, due.last_seq, due.message_count,
                               due.last_sender_name, due.last_preview,
                               coalesce(p.online, false) AS online,
                               EXISTS (SELECT 1 FROM conversation_mute m
                                       WHERE m.user_id = due.user_id AND m.conversation_id = due.conversation_id
                                         AND (m.until IS NULL OR m.until > now())) AS muted,
                               greatest(coalesce(u.total, 0), due.message_count) AS badge
                        FROM due
                        LEFT JOIN user_presence p ON p.user_id = due.user_id
                        LEFT JOIN user_unread u ON u.user_id = due.user_id""")
                .execute(Tuple.of(limit))
                .map(rows -> {
                    List<Due> due = new ArrayList<>(rows.size());
                    rows.forEach(r -> due.add(new Due(r.getString("user_id"), r.getUUID("conversation_id"),
                            r.getLong("last_seq"), r.getInteger("message_count"), r.getString("last_sender_name"),
                            r.getString("last_preview"), r.getBoolean("online"), r.getBoolean("muted"),
                            r.getLong("badge"))));
                    return due;
                });
    }

    /** The subscriptions of each of {@code users}. */
    public Uni<Map<String, List<UUID>>> subscriptions(SqlClient tx, List<String> users) {
        return tx.preparedQuery("SELECT user_id, id FROM push_subscription WHERE user_id = ANY($1)")
                .execute(Tuple.of(users.toArray(String[]::new)))
                .map(rows -> {
                    Map<String, List<UUID>> byUser = new HashMap<>();
                    rows.forEach(r -> byUser.computeIfAbsent(r.getString("user_id"), u -> new ArrayList<>())
                            .add(r.getUUID("id")));
                    return byUser;
                });
    }

    /** One alert for one device. */
    public record NewDelivery(UUID subscriptionId, UUID conversationId, String payload) {
    }

    public Uni<Void> insert(SqlClient tx, List<NewDelivery> deliveries) {
        if (deliveries.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery("INSERT INTO push_delivery (subscription_id, conversation_id, payload) "
                        + "SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[])")
                .execute(Tuple.of(deliveries.stream().map(NewDelivery::subscriptionId).toArray(UUID[]::new),
                        deliveries.stream().map(NewDelivery::conversationId).toArray(UUID[]::new),
                        deliveries.stream().map(NewDelivery::payload).toArray(String[]::new)))
                .replaceWithVoid();
    }

    /** A delivery leased for sending, with its device. */
    public record Leased(long id, UUID conversationId, String payload, int attempts, PushSubscription subscription) {
    }

    /**
     * Leases up to {@code limit} deliveries that are due for {@code lease}: another instance, or this one after a
     * crash, sends them again only once the lease ran out.
     */
    public Uni<List<Leased>> lease(int limit, Duration lease) {
        return pool.preparedQuery("""
                        UPDATE push_delivery d
                        SET next_at = now() + make_interval(secs => $2), attempts = d.attempts + 1
                        FROM push_subscription s
                        WHERE d.id IN (SELECT id FROM push_delivery WHERE next_at <= now()
                                       ORDER BY next_at LIMIT $1 FOR UPDATE SKIP LOCKED)
                          AND s.id = d.subscription_id
                        RETURNING d.id, d.conversation_id, d.payload, d.attempts,
                                  s.id AS subscription_id, s.user_id, s.kind, s.address, s.p256dh, s.auth""")
                .execute(Tuple.of(limit, (double) lease.toSeconds()))
                .map(rows -> {
                    List<Leased> leased = new ArrayList<>(rows.size());
                    rows.forEach(r -> leased.add(toLeased(r)));
                    return leased;
                });
    }

    private static Leased toLeased(Row r) {
        return new Leased(r.getLong("id"), r.getUUID("conversation_id"), r.getString("payload"),
                r.getInteger("attempts"), new PushSubscription(r.getUUID("subscription_id"), r.getString("user_id"),
                r.getString("kind"), r.getString("address"), r.getString("p256dh"), r.getString("auth")));
    }

    public Uni<Void> done(long id) {
        return pool.preparedQuery("DELETE FROM push_delivery WHERE id = $1").execute(Tuple.of(id)).replaceWithVoid();
    }

    public Uni<Void> retryAt(long id, Instant at) {
        return pool.preparedQuery("UPDATE push_delivery SET next_at = $2 WHERE id = $1")
                .execute(Tuple.of(id, at.atOffset(ZoneOffset.UTC))).replaceWithVoid();
    }

    /** The push service says the device is gone: its subscription goes, with what was on its way to it. */
    public Uni<Void> forget(UUID subscriptionId) {
        return pool.preparedQuery("DELETE FROM push_subscription WHERE id = $1")
                .execute(Tuple.of(subscriptionId)).replaceWithVoid();
    }

    /** Who is online, from presence events; an older change than the one stored changes nothing. */
    public Uni<Void> presence(SqlClient tx, String userId, boolean online, Instant at) {
        return tx.preparedQuery("""
                        INSERT INTO user_presence (user_id, online, changed_at) VALUES ($1, $2, $3)
                        ON CONFLICT (user_id) DO UPDATE SET online = EXCLUDED.online, changed_at = EXCLUDED.changed_at
                        WHERE user_presence.changed_at <= EXCLUDED.changed_at""")
                .execute(Tuple.of(userId, online, at.atOffset(ZoneOffset.UTC))).replaceWithVoid();
    }

    /** A user's total unread, for the badge. */
    public Uni<Void> unreadTotals(SqlClient tx, List<String> users, List<Long> totals) {
        return tx.preparedQuery("""
                        INSERT INTO user_unread (user_id, total) SELECT * FROM unnest($1::text[], $2::bigint[])
                        ON CONFLICT (user_id) DO UPDATE SET total = EXCLUDED.total""")
                .execute(Tuple.of(users.toArray(String[]::new), totals.toArray(Long[]::new))).replaceWithVoid();
    }
}

package io.parley.notification.store;

import io.parley.events.PushKind;
import io.parley.notification.domain.MessageBatch;
import io.parley.notification.domain.PushSubscription;
import io.smallrye.mutiny.Uni;
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
 * statement on the caller's client (a transaction, or the pool for a statement of its own), safe with several
 * instances (rows are claimed with SKIP LOCKED).
 */
@ApplicationScoped
public class DeliveryStore {

    /**
     * A pending alert whose delay is over, removed from the pending ones, with what decides it: whether its user is
     * online now, whether they muted the conversation, and their total unread (the badge); {@code traceparent} is
     * the trace context of its latest message (null when not traced).
     */
    public record Due(
            String userId,
            UUID conversationId,
            long lastSeq,
            int messageCount,
            String lastSenderName,
            String lastPreview,
            boolean online,
            boolean muted,
            long badge,
            String traceparent) {}

    /** Removes up to {@code limit} due pending alerts (skipping those another transaction holds) and answers them. */
    public Uni<List<Due>> claimDue(SqlClient tx, int limit) {
        return tx.preparedQuery("""
                        WITH due AS (
                            DELETE FROM pending_alert WHERE (user_id, conversation_id) IN (
                                SELECT user_id, conversation_id FROM pending_alert WHERE due_at <= now()
                                ORDER BY due_at LIMIT $1 FOR UPDATE SKIP LOCKED)
                            RETURNING *)
                        SELECT due.user_id, due.conversation_id, due.last_seq, due.message_count,
                               due.last_sender_name, due.last_preview, due.traceparent,
                               coalesce(p.online, false) AS online,
                               EXISTS (SELECT 1 FROM conversation_mute m
                                       WHERE m.user_id = due.user_id AND m.conversation_id = due.conversation_id
                                         AND (m.until IS NULL OR m.until > now())) AS muted,
                               greatest(coalesce(u.total, 0), due.message_count) AS badge
                        FROM due
                        LEFT JOIN user_presence p ON p.user_id = due.user_id
                        LEFT JOIN user_unread u ON u.user_id = due.user_id""").execute(Tuple.of(limit)).map(rows -> {
            List<Due> due = new ArrayList<>(rows.size());
            rows.forEach(r -> due.add(new Due(
                    r.getString("user_id"),
                    r.getUUID("conversation_id"),
                    r.getLong("last_seq"),
                    r.getInteger("message_count"),
                    r.getString("last_sender_name"),
                    r.getString("last_preview"),
                    r.getBoolean("online"),
                    r.getBoolean("muted"),
                    r.getLong("badge"),
                    r.getString("traceparent"))));
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

    /**
     * One alert for one device; {@code lastSeq} is the message it previews, {@code traceparent} that message's trace
     * context (or null).
     */
    public record NewDelivery(
            UUID subscriptionId, UUID conversationId, long lastSeq, String payload, String traceparent) {}

    /** Stores {@code deliveries}, due now, in one statement. */
    public Uni<Void> insert(SqlClient tx, List<NewDelivery> deliveries) {
        if (deliveries.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery(
                        "INSERT INTO push_delivery (subscription_id, conversation_id, last_seq, payload, traceparent) "
                                + "SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::bigint[], $4::text[], $5::text[])")
                .execute(Tuple.of(
                        deliveries.stream().map(NewDelivery::subscriptionId).toArray(UUID[]::new),
                        deliveries.stream().map(NewDelivery::conversationId).toArray(UUID[]::new),
                        deliveries.stream().map(NewDelivery::lastSeq).toArray(Long[]::new),
                        deliveries.stream().map(NewDelivery::payload).toArray(String[]::new),
                        deliveries.stream().map(NewDelivery::traceparent).toArray(String[]::new)))
                .replaceWithVoid();
    }

    /**
     * Drops what is on its way to the devices of {@code userId} for {@code conversationId} and not sent yet (one
     * being sent at this very moment is past stopping).
     */
    public Uni<Void> drop(SqlClient tx, UUID conversationId, String userId) {
        return tx.preparedQuery("""
                        DELETE FROM push_delivery d USING push_subscription s
                        WHERE d.conversation_id = $1 AND s.id = d.subscription_id AND s.user_id = $2""").execute(Tuple.of(conversationId, userId)).replaceWithVoid();
    }

    /**
     * Drops the deliveries, in the conversations of {@code members}, to devices of anyone those pairs do not name
     * (see {@link PendingAlertStore#keepOnly}).
     */
    public Uni<Void> keepOnly(SqlClient tx, List<MessageBatch.Member> members) {
        if (members.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery("""
                        WITH members AS (SELECT * FROM unnest($1::uuid[], $2::text[]) AS t(conversation_id, user_id))
                        DELETE FROM push_delivery d USING push_subscription s
                        WHERE d.conversation_id = ANY($1::uuid[])
                          AND s.id = d.subscription_id
                          AND NOT EXISTS (SELECT 1 FROM members m WHERE m.conversation_id = d.conversation_id
                                                                    AND m.user_id = s.user_id)""").execute(RemovalStore.members(members)).replaceWithVoid();
    }

    /** A delivery not sent yet whose last message was edited or deleted, locked until the transaction ends. */
    public record Queued(long id, UUID conversationId, long lastSeq, String payload) {}

    /** @return the deliveries whose last message is one of {@code revisions}, locked for {@link #rewrite} */
    public Uni<List<Queued>> previewing(SqlClient tx, List<MessageBatch.Revision> revisions) {
        if (revisions.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return tx.preparedQuery("""
                        SELECT d.id, d.conversation_id, d.last_seq, d.payload FROM push_delivery d
                        JOIN unnest($1::uuid[], $2::bigint[]) AS t(conversation_id, seq)
                          ON d.conversation_id = t.conversation_id AND d.last_seq = t.seq
                        ORDER BY d.id FOR UPDATE OF d""")
                .execute(Tuple.of(
                        revisions.stream()
                                .map(MessageBatch.Revision::conversationId)
                                .toArray(UUID[]::new),
                        revisions.stream().map(MessageBatch.Revision::seq).toArray(Long[]::new)))
                .map(rows -> {
                    List<Queued> queued = new ArrayList<>(rows.size());
                    rows.forEach(r -> queued.add(new Queued(
                            r.getLong("id"),
                            r.getUUID("conversation_id"),
                            r.getLong("last_seq"),
                            r.getString("payload"))));
                    return queued;
                });
    }

    /** Replaces the payload of each of {@code deliveries} (by id) with theirs. */
    public Uni<Void> rewrite(SqlClient tx, List<Queued> deliveries) {
        if (deliveries.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery("""
                        UPDATE push_delivery d SET payload = t.payload
                        FROM unnest($1::bigint[], $2::text[]) AS t(id, payload) WHERE d.id = t.id""")
                .execute(Tuple.of(
                        deliveries.stream().map(Queued::id).toArray(Long[]::new),
                        deliveries.stream().map(Queued::payload).toArray(String[]::new)))
                .replaceWithVoid();
    }

    /**
     * A delivery leased for sending, with its device and the trace context of the message it is about (W3C
     * {@code traceparent}, or null).
     */
    public record Leased(
            long id,
            UUID conversationId,
            String payload,
            int attempts,
            PushSubscription subscription,
            String traceparent) {}

    /**
     * Leases up to {@code limit} deliveries that are due for {@code lease}: another instance, or this one after a
     * crash, sends them again only once the lease ran out.
     */
    public Uni<List<Leased>> lease(SqlClient client, int limit, Duration lease) {
        return client.preparedQuery("""
                        UPDATE push_delivery d
                        SET next_at = now() + make_interval(secs => $2), attempts = d.attempts + 1
                        FROM push_subscription s
                        WHERE d.id IN (SELECT id FROM push_delivery WHERE next_at <= now()
                                       ORDER BY next_at LIMIT $1 FOR UPDATE SKIP LOCKED)
                          AND s.id = d.subscription_id
                        RETURNING d.id, d.conversation_id, d.payload, d.attempts, d.traceparent,
                                  s.id AS subscription_id, s.user_id, s.kind, s.address, s.p256dh, s.auth""")
                .execute(Tuple.of(limit, (double) lease.toSeconds()))
                .map(rows -> {
                    List<Leased> leased = new ArrayList<>(rows.size());
                    rows.forEach(r -> leased.add(toLeased(r)));
                    return leased;
                });
    }

    private static Leased toLeased(Row r) {
        return new Leased(
                r.getLong("id"),
                r.getUUID("conversation_id"),
                r.getString("payload"),
                r.getInteger("attempts"),
                new PushSubscription(
                        r.getUUID("subscription_id"),
                        r.getString("user_id"),
                        PushKind.fromWire(r.getString("kind")),
                        r.getString("address"),
                        r.getString("p256dh"),
                        r.getString("auth")),
                r.getString("traceparent"));
    }

    /** The delivery is over (taken, refused for good, or given up): deleted. */
    public Uni<Void> done(SqlClient client, long id) {
        return client.preparedQuery("DELETE FROM push_delivery WHERE id = $1")
                .execute(Tuple.of(id))
                .replaceWithVoid();
    }

    /** The delivery is sent again at {@code at}. */
    public Uni<Void> retryAt(SqlClient client, long id, Instant at) {
        return client.preparedQuery("UPDATE push_delivery SET next_at = $2 WHERE id = $1")
                .execute(Tuple.of(id, at.atOffset(ZoneOffset.UTC)))
                .replaceWithVoid();
    }

    /** The push service says the device is gone: its subscription goes, with what was on its way to it. */
    public Uni<Void> forget(SqlClient client, UUID subscriptionId) {
        return client.preparedQuery("DELETE FROM push_subscription WHERE id = $1")
                .execute(Tuple.of(subscriptionId))
                .replaceWithVoid();
    }

    /**
     * Who is online, from presence events, for several users in one statement: user {@code users[i]} is {@code
     * online[i]} from {@code at[i]} on; an older change than the one stored changes nothing. The users must be
     * distinct (one row per user: {@code ON CONFLICT} cannot touch a row twice).
     */
    public Uni<Void> presence(SqlClient tx, List<String> users, List<Boolean> online, List<Instant> at) {
        return tx.preparedQuery("""
                        INSERT INTO user_presence (user_id, online, changed_at)
                        SELECT * FROM unnest($1::text[], $2::boolean[], $3::timestamptz[])
                        ON CONFLICT (user_id) DO UPDATE SET online = EXCLUDED.online, changed_at = EXCLUDED.changed_at
                        WHERE user_presence.changed_at <= EXCLUDED.changed_at""")
                .execute(Tuple.of(
                        users.toArray(String[]::new),
                        online.toArray(Boolean[]::new),
                        at.stream().map(t -> t.atOffset(ZoneOffset.UTC)).toArray(java.time.OffsetDateTime[]::new)))
                .replaceWithVoid();
    }

    /**
     * Users' total unread, for the badge, each as of {@code at} (the time the conversation-service counted it): an
     * older total than the one stored changes nothing, since totals of one user come from several partitions.
     */
    public Uni<Void> unreadTotals(SqlClient tx, List<String> users, List<Long> totals, List<Instant> at) {
        return tx.preparedQuery("""
                        INSERT INTO user_unread (user_id, total, changed_at)
                        SELECT * FROM unnest($1::text[], $2::bigint[], $3::timestamptz[])
                        ON CONFLICT (user_id) DO UPDATE SET total = EXCLUDED.total, changed_at = EXCLUDED.changed_at
                        WHERE user_unread.changed_at IS NULL OR user_unread.changed_at <= EXCLUDED.changed_at""")
                .execute(Tuple.of(
                        users.toArray(String[]::new),
                        totals.toArray(Long[]::new),
                        at.stream().map(t -> t.atOffset(ZoneOffset.UTC)).toArray(java.time.OffsetDateTime[]::new)))
                .replaceWithVoid();
    }
}

package io.parley.conversation.store;

import io.parley.conversation.domain.Conversation;
import io.parley.events.ConversationKind;
import io.parley.events.PresenceChanged;
import io.parley.events.Role;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** SQL access to conversations and participants. */
@ApplicationScoped
public class ConversationStore {

    private static final String SELECT = """
            SELECT c.id, c.kind, c.title, c.created_by, c.created_at, c.last_activity_at, c.activity, c.last_seq,
                   c.last_message, c.awaiting_reply, c.answered_by, c.awaiting_since,
                   coalesce((SELECT array_agg(p.user_id ORDER BY p.joined_at, p.user_id)
                             FROM participant p WHERE p.conversation_id = c.id), '{}') AS participants,
                   (SELECT jsonb_object_agg(p.user_id, s.name) FROM participant p
                    JOIN presence_state s ON s.user_id = p.user_id AND s.name IS NOT NULL
                    WHERE p.conversation_id = c.id) AS names
            FROM conversation c
            """;

    private final Pool pool;

    /** Reads in {@code pool} where a method takes no SqlClient. */
    public ConversationStore(Pool pool) {
        this.pool = pool;
    }

    /**
     * The two users of a direct conversation, in either order: the pair itself is the conversation's key (stored as
     * the lower and the higher id in code point order), never a string made of the two.
     */
    public record DirectPair(String one, String other) {
        public DirectPair {
            Objects.requireNonNull(one);
            Objects.requireNonNull(other);
        }
    }

    /**
     * Inserts the conversation and its participants unless its unique key (direct pair or support owner) is taken;
     * answers whether it did. {@code pair} is null unless the conversation is direct, {@code supportOwner} unless it is
     * a support conversation.
     */
    public Uni<Boolean> insert(SqlClient tx, Conversation c, DirectPair pair, String supportOwner) {
        return tx.preparedQuery("""
                        WITH created AS (
                            INSERT INTO conversation (id, kind, title, created_by, created_at, last_activity_at,
                                                      direct_low, direct_high, support_owner)
                            VALUES ($1, $2, $3, $4, $5, $5, least($6::text COLLATE "C", $7::text COLLATE "C"),
                                    greatest($6::text COLLATE "C", $7::text COLLATE "C"), $8)
                            ON CONFLICT DO NOTHING
                            RETURNING id, activity),
                        moved AS (
                            INSERT INTO activity_move (conversation_id, old_activity, new_activity)
                            SELECT id, NULL, activity FROM created)
                        SELECT id FROM created""")
                .execute(Tuple.from(new Object[] {
                    c.id(),
                    c.kind().wire(),
                    c.title(),
                    c.createdBy(),
                    utc(c.createdAt()),
                    pair == null ? null : pair.one(),
                    pair == null ? null : pair.other(),
                    supportOwner
                }))
                .onItem()
                .transformToUni(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().item(false);
                    }
                    List<Tuple> members = new ArrayList<>();
                    for (String userId : c.participants()) {
                        members.add(Tuple.of(c.id(), userId, utc(c.createdAt())));
                    }
                    return tx.preparedQuery(
                                    "INSERT INTO participant (conversation_id, user_id, joined_at) VALUES ($1, $2, $3)")
                            .executeBatch(members)
                            .replaceWith(true);
                });
    }

    /**
     * The id of the last row in the outbox, or null when it is empty: once that row is published, so is every event
     * committed before this call (the relay publishes in id order).
     */
    public Uni<Long> lastOutboxId() {
        return pool.query("SELECT max(id) FROM outbox")
                .execute()
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /** The direct conversation of these two users, if they have one. */
    public Uni<Optional<Conversation>> findDirect(SqlClient client, DirectPair pair) {
        return client.preparedQuery(SELECT + """
                         WHERE c.kind = 'direct'
                           AND c.direct_low = least($1::text COLLATE "C", $2::text COLLATE "C")
                           AND c.direct_high = greatest($1::text COLLATE "C", $2::text COLLATE "C")""")
                .execute(Tuple.of(pair.one(), pair.other()))
                .map(ConversationStore::first);
    }

    /** The support conversation of {@code owner}, if it has one, read in {@code client}. */
    public Uni<Optional<Conversation>> findSupport(SqlClient client, String owner) {
        return client.preparedQuery(SELECT + " WHERE c.support_owner = $1")
                .execute(Tuple.of(owner))
                .map(ConversationStore::first);
    }

    /** The conversation {@code id}, if it exists, read in {@code client}; {@code lock} locks its row. */
    public Uni<Optional<Conversation>> find(SqlClient client, UUID id, boolean lock) {
        return client.preparedQuery(SELECT + " WHERE c.id = $1" + (lock ? " FOR UPDATE OF c" : ""))
                .execute(Tuple.of(id))
                .map(ConversationStore::first);
    }

    /** Adds a participant who has read nothing of what came before: their unread count starts at 0. */
    public Uni<Boolean> addParticipant(SqlClient tx, UUID conversationId, String userId, Instant at) {
        return tx.preparedQuery("""
                        WITH added AS (
                            INSERT INTO participant (conversation_id, user_id, joined_at) VALUES ($1, $2, $3)
                            ON CONFLICT DO NOTHING RETURNING conversation_id),
                        position AS (
                            INSERT INTO read_state (conversation_id, user_id, read_seq)
                            SELECT c.id, $2, c.last_seq FROM conversation c JOIN added ON added.conversation_id = c.id
                            ON CONFLICT (user_id, conversation_id) DO UPDATE
                                SET read_seq = greatest(read_state.read_seq, EXCLUDED.read_seq))
                        SELECT count(*) FROM added""")
                .execute(Tuple.of(conversationId, userId, utc(at)))
                .map(rows -> rows.iterator().next().getLong(0) == 1);
    }

    /**
     * Removes a participant and their read position there: what they had in the conversation leaves their totals.
     * Answers whether they were a participant.
     */
    public Uni<Boolean> removeParticipant(SqlClient tx, UUID conversationId, String userId) {
        return tx.preparedQuery("""
                        WITH removed AS (
                            DELETE FROM participant WHERE conversation_id = $1 AND user_id = $2
                            RETURNING conversation_id),
                        forgotten AS (
                            DELETE FROM read_state WHERE conversation_id = $1 AND user_id = $2
                              AND EXISTS (SELECT 1 FROM removed))
                        SELECT count(*) FROM removed""")
                .execute(Tuple.of(conversationId, userId))
                .map(rows -> rows.iterator().next().getLong(0) == 1);
    }

    /**
     * {@code userId}'s unread messages in all the conversations they take part in, as {@link #unread} sums them (in
     * the transaction {@code client} is in, so that a change made there counts).
     */
    public Uni<Long> unreadTotal(SqlClient client, String userId) {
        return client.preparedQuery("""
                        SELECT coalesce(sum(c.last_seq - coalesce(r.read_seq, 0)), 0)::bigint
                        FROM participant p JOIN conversation c ON c.id = p.conversation_id
                        LEFT JOIN read_state r ON r.user_id = p.user_id AND r.conversation_id = p.conversation_id
                        WHERE p.user_id = $1 AND c.last_seq > coalesce(r.read_seq, 0)""")
                .execute(Tuple.of(userId))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /**
     * The users whose presence each of {@code users} shares, in one statement: those they share a support or direct
     * conversation with, or a group of at most {@code groupLimit} members. A larger group shares no presence: each
     * change would go to every member and a group coming online would cost its size squared in frames
     * (docs/api.md, "presence").
     *
     * @param users      distinct user ids
     * @param groupLimit the most members a group may have for its members to share presence
     * @return user id to those contacts (each once); users who have none are absent
     */
    public Uni<Map<String, List<String>>> contacts(List<String> users, int groupLimit) {
        // a group is large when it has a member past the limit: OFFSET stops counting there
        return pool.preparedQuery("""
                        WITH mine AS (
                            SELECT p.user_id, p.conversation_id FROM participant p
                            JOIN conversation c ON c.id = p.conversation_id
                            WHERE p.user_id = ANY($1)
                              AND (c.kind <> 'group' OR NOT EXISTS (
                                  SELECT 1 FROM participant n WHERE n.conversation_id = c.id OFFSET $2)))
                        SELECT DISTINCT mine.user_id, other.user_id FROM mine
                        JOIN participant other ON other.conversation_id = mine.conversation_id
                        WHERE other.user_id <> mine.user_id""")
                .execute(Tuple.of(users.toArray(String[]::new), groupLimit))
                .map(rows -> {
                    Map<String, List<String>> contacts = new HashMap<>();
                    rows.forEach(r -> contacts.computeIfAbsent(r.getString(0), u -> new ArrayList<>())
                            .add(r.getString(1)));
                    return contacts;
                });
    }

    /** A user online now, as the presence events say: their role, since when, and their display name (or null). */
    public record Online(String userId, Role role, Instant since, String name) {}

    /**
     * Records each user's latest presence change (one per user), with the role and display name it carries (a change
     * without either keeps the one recorded); an older change than the one recorded changes nothing.
     */
    public Uni<Void> recordPresence(List<PresenceChanged> latest) {
        if (latest.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return pool.preparedQuery("""
                        INSERT INTO presence_state (user_id, role, online, changed_at, name)
                        SELECT * FROM unnest($1::text[], $2::text[], $3::boolean[], $4::timestamptz[], $5::text[])
                        ORDER BY 1
                        ON CONFLICT (user_id) DO UPDATE
                            SET role = coalesce(EXCLUDED.role, presence_state.role), online = EXCLUDED.online,
                                changed_at = EXCLUDED.changed_at,
                                name = coalesce(EXCLUDED.name, presence_state.name)
                            WHERE presence_state.changed_at <= EXCLUDED.changed_at""")
                .execute(Tuple.of(
                        latest.stream().map(PresenceChanged::userId).toArray(String[]::new),
                        latest.stream()
                                .map(c -> c.role() == null ? null : c.role().wire())
                                .toArray(String[]::new),
                        latest.stream().map(PresenceChanged::online).toArray(Boolean[]::new),
                        latest.stream().map(c -> utc(c.occurredAt())).toArray(OffsetDateTime[]::new),
                        latest.stream().map(PresenceChanged::name).toArray(String[]::new)))
                .replaceWithVoid();
    }

    /** Which of {@code users} are online now. */
    public Uni<List<Online>> onlineAmong(List<String> users) {
        return pool.preparedQuery(
                        "SELECT user_id, role, changed_at, name FROM presence_state WHERE online AND user_id = ANY($1)")
                .execute(Tuple.of(users.toArray(String[]::new)))
                .map(ConversationStore::online);
    }

    /** The clients and experts with a support conversation who are online now (what an admin coming online sees). */
    public Uni<List<Online>> onlineSupportOwners() {
        return pool.query("""
                        SELECT s.user_id, s.role, s.changed_at, s.name FROM presence_state s
                        JOIN conversation c ON c.support_owner = s.user_id
                        WHERE s.online""").execute().map(ConversationStore::online);
    }

    private static List<Online> online(RowSet<Row> rows) {
        List<Online> online = new ArrayList<>();
        rows.forEach(r -> online.add(new Online(
                r.getString(0),
                r.getString(1) == null ? null : Role.fromWire(r.getString(1)),
                r.getOffsetDateTime(2).toInstant(),
                r.getString(3))));
        return online;
    }

    /**
     * Which of {@code users} own a support conversation, read in {@code client}.
     *
     * @param users user ids
     * @return the owners among them
     */
    public Uni<Set<String>> supportOwners(SqlClient client, List<String> users) {
        return client.preparedQuery("SELECT support_owner FROM conversation WHERE support_owner = ANY($1)")
                .execute(Tuple.of(users.toArray(String[]::new)))
                .map(rows -> {
                    Set<String> owners = new HashSet<>();
                    rows.forEach(r -> owners.add(r.getString(0)));
                    return owners;
                });
    }

    /**
     * Where a page of the list ends: the place ({@code activity}) of its last conversation, in the list as it was
     * when the first page was read ({@code snapshot}, a PostgreSQL snapshot, taken at {@code snapshotAt}).
     */
    public record Position(String snapshot, Instant snapshotAt, long activity) {
        /** Before the first conversation of the list. */
        public static final Position TOP = new Position(null, null, Long.MAX_VALUE);

        /** Whether this is {@link #TOP}. */
        public boolean isTop() {
            return snapshot == null;
        }
    }

    /**
     * Which conversations a page lists. {@code OWN_AND_SUPPORT} is the membership rule ({@code domain.Membership}) as
     * a query, for a user who sees every support conversation.
     */
    public enum Scope {
        /** The caller's own conversations. */
        OWN,
        /** The caller's own and every support conversation (admins). */
        OWN_AND_SUPPORT,
        /** Every support conversation (the admins' support desk). */
        SUPPORT
    }

    /** A page of conversations, and the snapshot of the list it was read from. */
    public record Rows(List<Conversation> conversations, String snapshot, Instant snapshotAt) {}

    /**
     * Up to {@code limit} conversations of {@code scope} after {@code after}, latest activity first, never the one
     * {@code excluded} (the caller's pinned support conversation). After the first page, the order is the list's
     * as it was at the first page: a conversation that moved since then is found at its old place (the moves come from
     * activity_move), and one created since then is not listed.
     */
    public Uni<Rows> page(String userId, Scope scope, UUID excluded, Position after, int limit) {
        String visible = switch (scope) {
            case OWN -> "EXISTS (SELECT 1 FROM participant p WHERE p.conversation_id = c.id AND p.user_id = $1)";
            case OWN_AND_SUPPORT ->
                "(c.kind = 'support' OR EXISTS (SELECT 1 FROM participant p "
                        + "WHERE p.conversation_id = c.id AND p.user_id = $1))";
            case SUPPORT -> "c.kind = 'support' AND $1::text IS NOT NULL";
        };
        String notExcluded = " AND ($2::uuid IS NULL OR c.id <> $2)";
        if (after.isTop()) {
            return pool.preparedQuery(SELECT.replace(
                                    "FROM conversation c",
                                    ", pg_current_snapshot()::text AS snapshot, now() AS snapshot_at FROM conversation c")
                            + " WHERE " + visible + notExcluded + " ORDER BY c.activity DESC LIMIT $3")
                    .execute(Tuple.of(userId, excluded, limit))
                    .chain(rows -> rows.size() > 0
                            ? Uni.createFrom().item(rows(rows))
                            : pool.query("SELECT pg_current_snapshot()::text AS snapshot, now() AS snapshot_at")
                                    .execute()
                                    .map(snapshot -> new Rows(
                                            List.of(),
                                            snapshot.iterator().next().getString("snapshot"),
                                            snapshot.iterator()
                                                    .next()
                                                    .getOffsetDateTime("snapshot_at")
                                                    .toInstant())));
        }
        String sql = """
                WITH moved AS (
                    SELECT DISTINCT ON (m.conversation_id) m.conversation_id, m.old_activity
                    FROM activity_move m
                    WHERE m.xid >= pg_snapshot_xmin($4::pg_snapshot) AND NOT pg_visible_in_snapshot(m.xid, $4::pg_snapshot)
                    ORDER BY m.conversation_id, m.new_activity),
                places AS (
                    (SELECT c.id, c.activity AS place FROM conversation c
                     WHERE VISIBLE AND c.activity < $5
                       AND NOT EXISTS (SELECT 1 FROM moved WHERE moved.conversation_id = c.id)
                     ORDER BY c.activity DESC LIMIT $3)
                    UNION ALL
                    (SELECT c.id, moved.old_activity FROM moved JOIN conversation c ON c.id = moved.conversation_id
                     WHERE VISIBLE AND moved.old_activity < $5))
                """.replace("VISIBLE", visible + notExcluded)
                + SELECT.replace(
                        "FROM conversation c", ", places.place FROM places JOIN conversation c ON c.id = places.id")
                + " ORDER BY places.place DESC LIMIT $3";
        return pool.preparedQuery(sql)
                .execute(Tuple.of(userId, excluded, limit, after.snapshot(), after.activity()))
                .map(rows -> {
                    List<Conversation> list = new ArrayList<>(rows.size());
                    rows.forEach(r -> {
                        Conversation c = toConversation(r);
                        // its place in the list as it was at the first page
                        list.add(new Conversation(
                                c.id(),
                                c.kind(),
                                c.title(),
                                c.createdBy(),
                                c.createdAt(),
                                c.lastActivityAt(),
                                c.participants(),
                                r.getLong("place"),
                                c.lastSeq(),
                                c.lastMessage(),
                                c.awaitingReply(),
                                c.answeredBy(),
                                c.awaitingSince(),
                                c.names()));
                    });
                    return new Rows(list, after.snapshot(), after.snapshotAt());
                });
    }

    private static Rows rows(RowSet<Row> rows) {
        Row first = rows.iterator().next();
        return new Rows(
                all(rows),
                first.getString("snapshot"),
                first.getOffsetDateTime("snapshot_at").toInstant());
    }

    /** {@code userId}'s read positions in {@code conversations}, for those that have one. */
    public Uni<Map<UUID, Long>> readPositions(String userId, List<UUID> conversations) {
        if (conversations.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return pool.preparedQuery("SELECT conversation_id, read_seq FROM read_state "
                        + "WHERE user_id = $1 AND conversation_id = ANY($2)")
                .execute(Tuple.of(userId, conversations.toArray(UUID[]::new)))
                .map(rows -> {
                    Map<UUID, Long> positions = new HashMap<>();
                    rows.forEach(r -> positions.put(r.getUUID(0), r.getLong(1)));
                    return positions;
                });
    }

    /**
     * Which of {@code conversations} {@code userId} muted now: a mute kept from the notification-service's
     * {@code mute.changed} events, without an {@code until} or with one still ahead.
     */
    public Uni<Set<UUID>> mutedAmong(String userId, List<UUID> conversations) {
        if (conversations.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return pool.preparedQuery(
                        "SELECT conversation_id FROM conversation_mute "
                                + "WHERE user_id = $1 AND conversation_id = ANY($2) AND muted AND (until IS NULL OR until > now())")
                .execute(Tuple.of(userId, conversations.toArray(UUID[]::new)))
                .map(rows -> {
                    Set<UUID> muted = new HashSet<>();
                    rows.forEach(r -> muted.add(r.getUUID(0)));
                    return muted;
                });
    }

    /**
     * Applies a user's mute change, unless a later change of the same mute was applied already (by
     * {@code changedAt}): mute events of one user come in order, and this keeps a redelivered or late one harmless.
     */
    public Uni<Void> applyMute(
            SqlClient tx, String userId, UUID conversationId, boolean muted, Instant until, Instant changedAt) {
        return tx.preparedQuery("""
                        INSERT INTO conversation_mute (user_id, conversation_id, muted, until, changed_at)
                        VALUES ($1, $2, $3, $4, $5)
                        ON CONFLICT (user_id, conversation_id) DO UPDATE
                            SET muted = EXCLUDED.muted, until = EXCLUDED.until, changed_at = EXCLUDED.changed_at
                            WHERE conversation_mute.changed_at <= EXCLUDED.changed_at""")
                .execute(Tuple.of(userId, conversationId, muted, utc(until), utc(changedAt)))
                .replaceWithVoid();
    }

    /** Where a page of the support desk's unanswered filter ends: the wait and id of its last conversation. */
    public record WaitPosition(Instant since, UUID id) {}

    /**
     * Up to {@code limit} support conversations awaiting a reply, the oldest wait first ({@code awaiting_since}, then
     * id), after {@code after} (null: from the start). A conversation keeps its key while it waits, so paging this
     * way skips none and repeats none of those that wait throughout; one answered meanwhile leaves the filter, and one
     * whose wait starts again has a later key and comes at the end.
     */
    public Uni<List<Conversation>> pageWaiting(WaitPosition after, int limit) {
        return pool.preparedQuery(SELECT + """
                         WHERE c.kind = 'support' AND c.awaiting_reply AND c.awaiting_since IS NOT NULL
                           AND ($1::timestamptz IS NULL OR (c.awaiting_since, c.id) > ($1::timestamptz, $2::uuid))
                         ORDER BY c.awaiting_since, c.id LIMIT $3""")
                .execute(Tuple.of(after == null ? null : utc(after.since()), after == null ? null : after.id(), limit))
                .map(ConversationStore::all);
    }

    /** {@code userId}'s unread count in each of their conversations that has unread messages. */
    public Uni<Map<UUID, Long>> unread(String userId) {
        return pool.preparedQuery("""
                        SELECT c.id, c.last_seq - coalesce(r.read_seq, 0) AS unread
                        FROM participant p JOIN conversation c ON c.id = p.conversation_id
                        LEFT JOIN read_state r ON r.user_id = p.user_id AND r.conversation_id = p.conversation_id
                        WHERE p.user_id = $1 AND c.last_seq > coalesce(r.read_seq, 0)""").execute(Tuple.of(userId)).map(rows -> {
            Map<UUID, Long> counts = new LinkedHashMap<>();
            rows.forEach(r -> counts.put(r.getUUID(0), r.getLong(1)));
            return counts;
        });
    }

    private static Optional<Conversation> first(RowSet<Row> rows) {
        return rows.size() == 0
                ? Optional.empty()
                : Optional.of(toConversation(rows.iterator().next()));
    }

    private static List<Conversation> all(RowSet<Row> rows) {
        List<Conversation> list = new ArrayList<>(rows.size());
        rows.forEach(r -> list.add(toConversation(r)));
        return list;
    }

    private static Conversation toConversation(Row row) {
        Object lastMessage = row.getValue("last_message");
        return new Conversation(
                row.getUUID("id"),
                ConversationKind.fromWire(row.getString("kind")),
                row.getString("title"),
                row.getString("created_by"),
                row.getOffsetDateTime("created_at").toInstant(),
                row.getOffsetDateTime("last_activity_at").toInstant(),
                List.of(row.getArrayOfStrings("participants")),
                row.getLong("activity"),
                row.getLong("last_seq"),
                lastMessage instanceof JsonObject json ? json.getMap() : null,
                row.getBoolean("awaiting_reply"),
                row.getString("answered_by"),
                row.getOffsetDateTime("awaiting_since") == null
                        ? null
                        : row.getOffsetDateTime("awaiting_since").toInstant(),
                names(row.getValue("names")));
    }

    /** The {@code names} column: user id to display name (none known: empty). */
    private static Map<String, String> names(Object column) {
        if (!(column instanceof JsonObject json)) {
            return Map.of();
        }
        Map<String, String> names = new java.util.TreeMap<>();
        json.forEach(e -> {
            if (e.getValue() instanceof String name) {
                names.put(e.getKey(), name);
            }
        });
        return names;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    /** Now, as PostgreSQL keeps it (microseconds). */
    public static Instant now() {
        // PostgreSQL keeps microseconds: truncate so that what we return equals what we read back later.
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}

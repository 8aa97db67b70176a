package io.parley.conversation.store;

import io.parley.conversation.domain.Conversation;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** SQL access to conversations and participants. */
@ApplicationScoped
public class ConversationStore {

    private final Pool pool;

    public ConversationStore(Pool pool) {
        this.pool = pool;
    }

    public Pool pool() {
        return pool;
    }

    /**
     * Inserts the conversation and its participants unless its unique key (direct pair or support owner) is taken;
     * answers empty when it was.
     */
    public Uni<Boolean> insert(SqlClient tx, Conversation c, String directKey, String supportOwner) {
        return tx.preparedQuery("""
                        INSERT INTO conversation (id, kind, title, created_by, created_at, direct_key, support_owner)
                        VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING""")
                .execute(Tuple.from(new Object[]{c.id(), c.kind(), c.title(), c.createdBy(),
                        c.createdAt().atOffset(ZoneOffset.UTC), directKey, supportOwner}))
                .onItem().transformToUni(rows -> {
                    if (rows.rowCount() == 0) {
                        return Uni.createFrom().item(false);
                    }
                    List<Tuple> members = new ArrayList<>();
                    for (String userId : c.participants()) {
                        members.add(Tuple.of(c.id(), userId, c.createdAt().atOffset(ZoneOffset.UTC)));
                    }
                    return tx.preparedQuery("INSERT INTO participant (conversation_id, user_id, joined_at) VALUES ($1, $2, $3)")
                            .executeBatch(members)
                            .replaceWith(true);
                });
    }

    public Uni<Optional<Conversation>> findByDirectKey(SqlClient client, String directKey) {
        return client.preparedQuery("SELECT id FROM conversation WHERE direct_key = $1")
                .execute(Tuple.of(directKey))
                .onItem().transformToUni(rows -> rows.size() == 0
                        ? Uni.createFrom().item(Optional.<Conversation>empty())
                        : find(client, rows.iterator().next().getUUID("id")));
    }

    public Uni<Optional<Conversation>> find(SqlClient client, UUID id) {
        return client.preparedQuery("""
                        SELECT c.id, c.kind, c.title, c.created_by, c.created_at,
                               coalesce(array_agg(p.user_id ORDER BY p.joined_at, p.user_id)
                                        FILTER (WHERE p.user_id IS NOT NULL), '{}') AS participants
                        FROM conversation c LEFT JOIN participant p ON p.conversation_id = c.id
                        WHERE c.id = $1
                        GROUP BY c.id""")
                .execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toConversation(rows.iterator().next())));
    }

    private static Conversation toConversation(Row row) {
        return new Conversation(row.getUUID("id"), row.getString("kind"), row.getString("title"),
                row.getString("created_by"), row.getOffsetDateTime("created_at").toInstant(),
                List.of(row.getArrayOfStrings("participants")));
    }

    public static Instant now() {
        // PostgreSQL keeps microseconds: truncate so that what we return equals what we read back later.
        return Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }
}

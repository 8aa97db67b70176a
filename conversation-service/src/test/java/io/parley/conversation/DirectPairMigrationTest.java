package io.parley.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.infra.InfraTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * V4 replaces the direct conversations' "a|b" key with the pair of their participants: a database at V3, with a
 * conversation that the ambiguous key gave to the wrong pair, is migrated and keeps who is really in each.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
class DirectPairMigrationTest {

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String url;

    @ConfigProperty(name = "quarkus.datasource.username")
    String user;

    @ConfigProperty(name = "quarkus.datasource.password")
    String password;

    @Test
    void existingDirectConversationsGetTheirPairFromTheirParticipants() throws SQLException {
        String database = "migration_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection admin = DriverManager.getConnection(url, user, password);
                Statement create = admin.createStatement()) {
            create.execute("CREATE DATABASE " + database);
        }
        String migrationUrl = url.substring(0, url.lastIndexOf('/') + 1) + database;
        Flyway.configure()
                .dataSource(migrationUrl, user, password)
                .locations("classpath:db/migration")
                .target("3")
                .load()
                .migrate();

        UUID plain = UUID.randomUUID();
        UUID bar = UUID.randomUUID();
        UUID group = UUID.randomUUID();
        try (Connection db = DriverManager.getConnection(migrationUrl, user, password)) {
            // keys as V1 made them: the two ids sorted and joined with '|'
            insert(db, plain, "direct", "alice|bob", List.of("bob", "alice"));
            insert(db, bar, "direct", "x|y|z", List.of("x|y", "z"));
            insert(db, group, "group", null, List.of("x", "y|z", "w"));
        }

        Flyway.configure()
                .dataSource(migrationUrl, user, password)
                .locations("classpath:db/migration")
                .load()
                .migrate();

        try (Connection db = DriverManager.getConnection(migrationUrl, user, password)) {
            assertThat(pair(db, plain)).containsExactly("alice", "bob");
            assertThat(pair(db, bar)).containsExactly("x|y", "z");
            assertThat(pair(db, group)).containsExactly(null, null);
            try (ResultSet columns = db.getMetaData().getColumns(null, null, "conversation", "direct_key")) {
                assertThat(columns.next()).as("direct_key is gone").isFalse();
            }
            // the pair x + y|z, which the old key confused with x|y + z, may now have its own conversation
            insertPair(db, UUID.randomUUID(), "x", "y|z");
            // but a second conversation of the same pair is refused, whichever order it comes in
            assertThatThrownBy(() -> insertPair(db, UUID.randomUUID(), "z", "x|y"))
                    .isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> insertPair(db, UUID.randomUUID(), "x|y", "z"))
                    .isInstanceOf(SQLException.class);
        }
    }

    private static void insert(Connection db, UUID id, String kind, String key, List<String> participants)
            throws SQLException {
        try (PreparedStatement conversation = db.prepareStatement("INSERT INTO conversation "
                + "(id, kind, created_by, created_at, last_activity_at, direct_key) VALUES (?, ?, ?, ?, ?, ?)")) {
            OffsetDateTime now = OffsetDateTime.now();
            conversation.setObject(1, id);
            conversation.setString(2, kind);
            conversation.setString(3, participants.get(0));
            conversation.setObject(4, now);
            conversation.setObject(5, now);
            conversation.setString(6, key);
            conversation.executeUpdate();
        }
        for (String participant : participants) {
            try (PreparedStatement member = db.prepareStatement(
                    "INSERT INTO participant (conversation_id, user_id, joined_at) VALUES (?, ?, now())")) {
                member.setObject(1, id);
                member.setString(2, participant);
                member.executeUpdate();
            }
        }
    }

    private static void insertPair(Connection db, UUID id, String one, String other) throws SQLException {
        try (PreparedStatement conversation = db.prepareStatement("INSERT INTO conversation "
                + "(id, kind, created_by, created_at, last_activity_at, direct_low, direct_high) "
                + "VALUES (?, 'direct', ?, now(), now(), least(?::text COLLATE \"C\", ?::text COLLATE \"C\"), "
                + "greatest(?::text COLLATE \"C\", ?::text COLLATE \"C\"))")) {
            conversation.setObject(1, id);
            conversation.setString(2, one);
            conversation.setString(3, one);
            conversation.setString(4, other);
            conversation.setString(5, one);
            conversation.setString(6, other);
            conversation.executeUpdate();
        }
    }

    private static List<String> pair(Connection db, UUID id) throws SQLException {
        try (PreparedStatement query =
                db.prepareStatement("SELECT direct_low, direct_high FROM conversation WHERE id = ?")) {
            query.setObject(1, id);
            try (ResultSet row = query.executeQuery()) {
                assertThat(row.next()).isTrue();
                List<String> pair = new ArrayList<>();
                pair.add(row.getString(1));
                pair.add(row.getString(2));
                return pair;
            }
        }
    }
}

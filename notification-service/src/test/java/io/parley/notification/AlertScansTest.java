package io.parley.notification;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.infra.InfraTestResource;
import io.parley.notification.domain.MessageBatch;
import io.parley.notification.store.DeliveryStore;
import io.parley.notification.store.PendingAlertStore;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The statements that every batch of message events runs on {@code pending_alert} and {@code push_delivery} find their
 * rows through an index, never by reading the whole table: with thousands of alerts pending, a sequential scan per batch is a cost per message
 * that grows with the table (measured at 50 msg/s: one scan of ~770 rows per message before the index). Each statement
 * runs in a transaction of its own, whose own counters ({@code pg_stat_xact_user_tables}) say how the table was read.
 * The batch's conversations are named as an array ({@code conversation_id = ANY($1)}), the form planned as an index
 * scan. A subscription that goes takes its deliveries with it (a foreign key's cascade), through an index too.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FcmStandIn.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ApnsStandIn.class, scope = TestResourceScope.GLOBAL)
class AlertScansTest {

    private static final String PROBE = "scan-probe-";

    @Inject
    Pool pool;

    @Inject
    PendingAlertStore alerts;

    @Inject
    DeliveryStore deliveries;

    private final UUID conversation = UUID.randomUUID();

    private final UUID device = UUID.randomUUID();

    /**
     * 5,000 alerts of other conversations, due in a day (no dispatch touches them), and one of this conversation; as
     * many deliveries waiting for 1,000 other devices (five each, due in a day too), and one to this member's device.
     */
    @BeforeEach
    void manyPendingAlerts() {
        run("INSERT INTO pending_alert (user_id, conversation_id, first_seq, last_seq, message_count, due_at) "
                + "SELECT '" + PROBE + "' || g, gen_random_uuid(), 1, 3, 3, now() + interval '1 day' "
                + "FROM generate_series(1, 5000) g");
        run(
                "INSERT INTO pending_alert (user_id, conversation_id, first_seq, last_seq, message_count, "
                        + "due_at) VALUES ($1, $2, 1, 3, 3, now() + interval '1 day')",
                Tuple.of(PROBE + "member", conversation));
        run("INSERT INTO push_subscription (id, user_id, kind, address) SELECT gen_random_uuid(), '" + PROBE
                + "' || g, 'fcm', '" + PROBE + "' || g FROM generate_series(1, 1000) g");
        run("INSERT INTO push_delivery (subscription_id, conversation_id, payload, next_at) "
                + "SELECT s.id, gen_random_uuid(), '{}', now() + interval '1 day' "
                + "FROM push_subscription s, generate_series(1, 5) WHERE s.user_id LIKE '" + PROBE + "%'");
        run(
                "INSERT INTO push_subscription (id, user_id, kind, address) VALUES ($1, $2, 'fcm', $3)",
                Tuple.of(device, PROBE + "member", PROBE + device));
        run(
                "INSERT INTO push_delivery (subscription_id, conversation_id, payload, next_at) "
                        + "VALUES ($1, $2, '{}', now() + interval '1 day')",
                Tuple.of(device, conversation));
        run("ANALYZE pending_alert");
        run("ANALYZE push_delivery");
    }

    @AfterEach
    void forget() {
        run("DELETE FROM pending_alert WHERE user_id LIKE '" + PROBE + "%'");
        run("DELETE FROM push_subscription WHERE user_id LIKE '" + PROBE + "%'"); // deliveries go with them
    }

    /** Runs a set-up statement, with {@code arguments} if any, and waits for it. */
    private void run(String sql, Tuple... arguments) {
        (arguments.length == 0
                        ? pool.query(sql).execute()
                        : pool.preparedQuery(sql).execute(arguments[0]))
                .await()
                .indefinitely();
    }

    @Test
    void droppingTheAlertsOfWhomABatchNoLongerNamesReadsOnlyItsConversations() {
        assertThat(sequentialScans(
                        "pending_alert",
                        tx -> alerts.keepOnly(tx, List.of(new MessageBatch.Member(conversation, PROBE + "member")))))
                .isZero();
    }

    @Test
    void droppingTheDeliveriesToWhomABatchNoLongerNamesReadsOnlyItsConversations() {
        assertThat(sequentialScans(
                        "push_delivery",
                        tx -> deliveries.keepOnly(
                                tx, List.of(new MessageBatch.Member(conversation, PROBE + "someone-else")))))
                .isZero();
    }

    @Test
    void aDeviceThatIsGoneTakesItsDeliveriesThroughAnIndex() {
        assertThat(sequentialScans("push_delivery", tx -> deliveries.forget(tx, device)))
                .isZero();
    }

    @Test
    void revisingTheAlertOfAnEditedMessageReadsOnlyItsConversation() {
        assertThat(sequentialScans(
                        "pending_alert",
                        tx -> alerts.revise(tx, List.of(new MessageBatch.Revision(conversation, 3, "edited")))))
                .isZero();
    }

    @Test
    void aReadAndANewUnreadMessageReadOnlyTheirRecipientsAlerts() {
        assertThat(sequentialScans(
                        "pending_alert",
                        tx -> alerts.read(tx, List.of(new PendingAlertStore.Read(PROBE + "member", conversation, 2)))))
                .isZero();
        assertThat(sequentialScans(
                        "pending_alert",
                        tx -> alerts.addUnread(
                                tx,
                                List.of(new PendingAlertStore.Unread(
                                        PROBE + "member", conversation, 4, 4, 1, "Alice", "hi", Instant.now(), null)))))
                .isZero();
        assertThat(sequentialScans("pending_alert", tx -> alerts.drop(tx, conversation, PROBE + "member")))
                .isZero();
    }

    /**
     * Runs {@code statement} in a transaction and answers how many sequential scans of {@code table} it made: the
     * transaction's counters after it less those before ({@code pg_stat_xact_user_tables} also holds the counts of the
     * connection's earlier transactions that were not reported yet; nothing is reported within a transaction).
     */
    private long sequentialScans(String table, Function<SqlClient, Uni<Void>> statement) {
        return pool.withTransaction(tx -> scans(tx, table)
                        .chain(before -> statement
                                .apply(tx)
                                .chain(() -> scans(tx, table))
                                .map(after -> after - before)))
                .await()
                .indefinitely();
    }

    private static Uni<Long> scans(SqlClient tx, String table) {
        return tx.preparedQuery("SELECT coalesce(sum(seq_scan), 0) AS scans FROM pg_stat_xact_user_tables "
                        + "WHERE relname = $1")
                .execute(Tuple.of(table))
                .map(rows -> rows.iterator().next().getLong("scans"));
    }
}

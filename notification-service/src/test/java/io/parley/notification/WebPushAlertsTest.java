package io.parley.notification;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.events.ConversationKind;
import io.parley.events.MessageEvent;
import io.parley.events.PresenceChanged;
import io.parley.events.ReadMoved;
import io.parley.events.Role;
import io.parley.events.Topics;
import io.parley.events.UnreadChanged;
import io.parley.infra.EventPublisher;
import io.parley.infra.InfraTestResource;
import io.parley.infra.MetricsScrape;
import io.parley.infra.TestKeys;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Alerts through a real Web Push exchange on loopback (the grace delay is 2 s in tests): who gets one, when, and what
 * it carries, checked by a receiver that decrypts and verifies on its own.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FcmStandIn.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ApnsStandIn.class, scope = TestResourceScope.GLOBAL)
class WebPushAlertsTest {

    /** Long enough after the grace delay for an alert that should not come to have come. */
    private static final Duration QUIET = Duration.ofSeconds(4);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    /** The management interface's /q/metrics. */
    @TestHTTPResource(value = "/metrics", management = true)
    java.net.URI metrics;

    @jakarta.inject.Inject
    io.vertx.mutiny.sqlclient.Pool pool;

    PushEndpoint push;
    EventPublisher events;

    @BeforeEach
    void open() throws Exception {
        push = new PushEndpoint();
        events = new EventPublisher(kafka);
    }

    @AfterEach
    void close() {
        push.close();
        events.close();
    }

    @Test
    void anOfflineRecipientGetsOneCollapsedAlertOnEachDeviceAfterTheDelay() throws Exception {
        String alice = "alice-" + UUID.randomUUID();
        String bob = "bob-" + UUID.randomUUID();
        UUID conversation = UUID.randomUUID();
        String phone = "phone-" + UUID.randomUUID();
        String laptop = "laptop-" + UUID.randomUUID();
        subscribe(bob, push.device(phone));
        subscribe(bob, push.device(laptop));
        events.publish(
                Topics.INBOX,
                UnreadChanged.of(UUID.randomUUID(), List.of(new UnreadChanged.Count(bob, 2, 5)), Instant.now()));
        await().atMost(Duration.ofSeconds(15))
                .until(() -> stored("SELECT total FROM user_unread WHERE user_id = $1", bob)
                        .equals(List.of(5L)));

        Instant sent = Instant.now();
        MessageEvent first = Alerts.message(conversation, 1, alice, List.of(alice, bob), "are you there?");
        events.publish(Topics.MESSAGES, first);
        events.publish(Topics.MESSAGES, first); // Kafka may deliver an event again: it counts once
        events.publish(Topics.MESSAGES, Alerts.message(conversation, 2, alice, List.of(alice, bob), "hello?"));
        events.publish(Topics.MESSAGES, Alerts.message(conversation, 3, alice, List.of(alice, bob), "call me"));

        await().atMost(Duration.ofSeconds(10))
                .until(() -> push.to(phone).size() == 1 && push.to(laptop).size() == 1);
        assertThat(Duration.between(sent, Instant.now()))
                .as("not before the grace delay")
                .isGreaterThanOrEqualTo(Duration.ofMillis(1900));
        Thread.sleep(QUIET.toMillis());
        assertThat(push.to(phone)).hasSize(1);
        assertThat(push.to(laptop)).hasSize(1);
        assertThat(push.failures).isEmpty();

        PushEndpoint.Push alert = push.to(phone).get(0);
        assertThat(alert.payload().getString("conversationId")).isEqualTo(conversation.toString());
        assertThat(alert.payload().getInteger("count")).isEqualTo(3);
        assertThat(alert.payload().getLong("lastSeq")).isEqualTo(3);
        assertThat(alert.payload().getLong("badge")).isEqualTo(5);
        assertThat(alert.payload().getString("title")).isEqualTo("Alice");
        assertThat(alert.payload().getString("body")).isEqualTo("3 new messages from Alice");
        assertThat(alert.topic())
                .isEqualTo(conversation.toString().replace("-", ""))
                .hasSizeLessThanOrEqualTo(32);
        assertThat(alert.ttl()).isPositive();
        assertThat(alert.vapid().getSubject()).startsWith("mailto:");
        String served = given().auth()
                .oauth2(TestKeys.token(bob, "client"))
                .get("/api/push/vapid-public-key")
                .then()
                .statusCode(200)
                .extract()
                .path("publicKey");
        assertThat(alert.vapidKey()).isEqualTo(served);
        // The sender is not alerted of their own messages.
        assertThat(push.received)
                .allMatch(p -> p.device().equals(phone) || p.device().equals(laptop));
    }

    @Test
    void anOnlineRecipientGetsNothingUntilTheyGoOffline() throws Exception {
        String alice = "alice-" + UUID.randomUUID();
        String carol = "carol-" + UUID.randomUUID();
        UUID conversation = UUID.randomUUID();
        String device = "device-" + UUID.randomUUID();
        subscribe(carol, push.device(device));
        events.publish(Topics.PRESENCE, PresenceChanged.of(carol, Role.CLIENT, true, Instant.now()));
        await().atMost(Duration.ofSeconds(15))
                .until(() -> stored("SELECT online FROM user_presence WHERE user_id = $1", carol)
                        .equals(List.of(true)));
        events.publish(Topics.MESSAGES, Alerts.message(conversation, 1, alice, List.of(alice, carol), "hi"));
        Thread.sleep(QUIET.toMillis());
        assertThat(push.to(device)).isEmpty();

        events.publish(Topics.PRESENCE, PresenceChanged.of(carol, Role.CLIENT, false, Instant.now()));
        await().atMost(Duration.ofSeconds(15))
                .until(() -> stored("SELECT online FROM user_presence WHERE user_id = $1", carol)
                        .equals(List.of(false)));
        events.publish(Topics.MESSAGES, Alerts.message(conversation, 2, alice, List.of(alice, carol), "still there?"));
        await().atMost(Duration.ofSeconds(10)).until(() -> push.to(device).size() == 1);
        assertThat(push.to(device).get(0).payload().getInteger("count")).isEqualTo(1);
    }

    @Test
    void aReadWithinTheDelayCancelsTheAlertAndAMutedConversationAlertsNobody() throws Exception {
        String alice = "alice-" + UUID.randomUUID();
        String dave = "dave-" + UUID.randomUUID();
        UUID read = UUID.randomUUID();
        UUID muted = UUID.randomUUID();
        String device = "device-" + UUID.randomUUID();
        subscribe(dave, push.device(device));
        given().auth()
                .oauth2(TestKeys.token(dave, "client"))
                .contentType(ContentType.JSON)
                .body(Map.of("until", Instant.now().plus(1, ChronoUnit.HOURS).toString()))
                .put("/api/push/mutes/" + muted)
                .then()
                .statusCode(204);
        given().auth()
                .oauth2(TestKeys.token(dave, "client"))
                .get("/api/push/mutes")
                .then()
                .statusCode(200)
                .body("items.conversationId", org.hamcrest.Matchers.hasItem(muted.toString()));

        events.publish(Topics.MESSAGES, Alerts.message(read, 1, alice, List.of(alice, dave), "one"));
        events.publish(
                Topics.MESSAGES,
                ReadMoved.of(read, ConversationKind.DIRECT, List.of(alice, dave), dave, 1, Instant.now()));
        events.publish(Topics.MESSAGES, Alerts.message(muted, 1, alice, List.of(alice, dave), "shh"));
        Thread.sleep(QUIET.toMillis());
        assertThat(push.to(device)).isEmpty();

        // Unmuted, the next message alerts again.
        given().auth()
                .oauth2(TestKeys.token(dave, "client"))
                .delete("/api/push/mutes/" + muted)
                .then()
                .statusCode(204);
        events.publish(Topics.MESSAGES, Alerts.message(muted, 2, alice, List.of(alice, dave), "now?"));
        await().atMost(Duration.ofSeconds(10)).until(() -> push.to(device).size() == 1);
        assertThat(push.to(device).get(0).payload().getString("conversationId")).isEqualTo(muted.toString());
    }

    @Test
    void aGoneDeviceLosesItsSubscriptionAndABusyServiceIsRetried() throws Exception {
        String alice = "alice-" + UUID.randomUUID();
        String frank = "frank-" + UUID.randomUUID();
        UUID conversation = UUID.randomUUID();
        String gone = "gone-" + UUID.randomUUID();
        String busy = "busy-" + UUID.randomUUID();
        String goneId = subscribe(frank, push.device(gone));
        subscribe(frank, push.device(busy));
        push.answer(gone, 410);
        push.answer(busy, 429, 503);
        MetricsScrape before = MetricsScrape.of(metrics);

        events.publish(Topics.MESSAGES, Alerts.message(conversation, 1, alice, List.of(alice, frank), "hello"));
        await().atMost(Duration.ofSeconds(20)).until(() -> push.to(busy).size() == 1);
        assertThat(push.attempts.get(busy).get()).as("429, 503, then taken").isEqualTo(3);
        assertThat(push.attempts.get(gone).get()).isEqualTo(1);
        // The 410 deleted the subscription: its owner no longer has it.
        given().auth()
                .oauth2(TestKeys.token(frank, "client"))
                .delete("/api/push/subscriptions/" + goneId)
                .then()
                .statusCode(404);
        // The operator's view of the same (on the management interface only): one gone, two retries, one taken.
        given().get("/q/metrics").then().statusCode(404);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            MetricsScrape after = MetricsScrape.of(metrics);
            assertThat(delta(before, after, "parley_push_sends_total{outcome=\"gone\",provider=\"webpush\"}"))
                    .isEqualTo(1);
            assertThat(delta(before, after, "parley_push_sends_total{outcome=\"retry\",provider=\"webpush\"}"))
                    .isEqualTo(2);
            assertThat(delta(before, after, "parley_push_sends_total{outcome=\"delivered\",provider=\"webpush\"}"))
                    .isGreaterThanOrEqualTo(1);
            assertThat(delta(before, after, "parley_push_send_duration_seconds_count{provider=\"webpush\"}"))
                    .isGreaterThanOrEqualTo(4);
            assertThat(delta(before, after, "parley_alerts_round_seconds_count"))
                    .isPositive();
            assertThat(after.has("parley_alerts_pending")).isTrue();
            assertThat(after.has("parley_push_deliveries_pending")).isTrue();
            assertThat(after.has("parley_outbox_lag_seconds")).isTrue();
        });
    }

    /**
     * A browser's push address re-registered by another user (one computer, a second person signs in): the alert of
     * the first user still being retried is not sent to the device that now belongs to the second.
     */
    @Test
    void aDeviceThatChangesHandsGetsNothingMoreOfItsFormerUser() throws Exception {
        String alice = "alice-" + UUID.randomUUID();
        String frank = "frank-" + UUID.randomUUID();
        String gina = "gina-" + UUID.randomUUID();
        String shared = "shared-" + UUID.randomUUID();
        subscribe(frank, push.device(shared));
        push.answer(shared, 503); // the first try fails: the delivery waits about a second for its retry

        events.publish(
                Topics.MESSAGES,
                Alerts.message(UUID.randomUUID(), 1, alice, List.of(alice, frank), "for frank's eyes only"));
        await().atMost(Duration.ofSeconds(20)).until(() -> push.attempts.containsKey(shared));
        subscribe(gina, push.device(shared));

        await().during(QUIET)
                .atMost(QUIET.plusSeconds(2))
                .until(() -> push.to(shared).isEmpty());
        assertThat(push.attempts.get(shared).get())
                .as("frank's delivery is not tried again")
                .isEqualTo(1);
        // gina's own alerts reach the device
        events.publish(Topics.MESSAGES, Alerts.message(UUID.randomUUID(), 1, alice, List.of(alice, gina), "for gina"));
        await().atMost(Duration.ofSeconds(20)).until(() -> push.to(shared).size() == 1);
        assertThat(push.to(shared).get(0).payload().encode()).doesNotContain("frank's eyes");
    }

    private static double delta(MetricsScrape before, MetricsScrape after, String series) {
        return after.value(series) - before.value(series);
    }

    @Test
    void badMuteRequestsAreRefused() {
        String user = "user-" + UUID.randomUUID();
        for (String body :
                List.of("{\"until\":\"tomorrow\"}", "{\"until\":\"2001-01-01T00:00:00Z\"}", "[1]", "{\"until\":5}")) {
            given().auth()
                    .oauth2(TestKeys.token(user, "client"))
                    .contentType(ContentType.JSON)
                    .body(body)
                    .put("/api/push/mutes/" + UUID.randomUUID())
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json");
        }
        given().contentType(ContentType.JSON)
                .body("{}")
                .put("/api/push/mutes/" + UUID.randomUUID())
                .then()
                .statusCode(401);
    }

    @Test
    void muteTextThatCannotBeStoredIsRefusedNamingTheFieldAndTheMuteStays() {
        String user = "user-" + UUID.randomUUID();
        UUID conversation = UUID.randomUUID();
        String until = Instant.now()
                .plus(1, ChronoUnit.HOURS)
                .truncatedTo(ChronoUnit.SECONDS)
                .toString();
        given().auth()
                .oauth2(TestKeys.token(user, "client"))
                .contentType(ContentType.JSON)
                .body(Map.of("until", until))
                .put("/api/push/mutes/" + conversation)
                .then()
                .statusCode(204);
        for (String bad : List.of("\\u0000", "\\uD800")) {
            given().auth()
                    .oauth2(TestKeys.token(user, "client"))
                    .contentType(ContentType.JSON)
                    .body("{\"until\":\"" + until + bad + "\"}")
                    .put("/api/push/mutes/" + conversation)
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("detail", org.hamcrest.Matchers.startsWith("until "));
        }
        given().auth()
                .oauth2(TestKeys.token(user, "client"))
                .urlEncodingEnabled(false)
                .contentType(ContentType.JSON)
                .body("{}")
                .put("/api/push/mutes/a%00b")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.startsWith("conversationId "));
        given().auth()
                .oauth2(TestKeys.token(user, "client"))
                .urlEncodingEnabled(false)
                .delete("/api/push/mutes/a%00b")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.startsWith("conversationId "));
        given().auth()
                .oauth2(TestKeys.token(user, "client"))
                .get("/api/push/mutes")
                .then()
                .statusCode(200)
                .body(
                        "items.find { it.conversationId == '" + conversation + "' }.until",
                        org.hamcrest.Matchers.equalTo(until));
    }

    /** A precondition kept from events by another consumer: waited for, so that a slow first join is no race. */
    private List<Object> stored(String sql, String user) {
        List<Object> values = new java.util.ArrayList<>();
        pool.preparedQuery(sql)
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(user))
                .await()
                .indefinitely()
                .forEach(row -> values.add(row.getValue(0)));
        return values;
    }

    private static String subscribe(String user, PushEndpoint.Device device) {
        return Alerts.subscribe(
                user,
                Map.of(
                        "kind",
                        "webpush",
                        "endpoint",
                        device.endpoint(),
                        "keys",
                        Map.of("p256dh", device.p256dh(), "auth", device.auth())));
    }
}

package io.parley.notification;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.events.Topics;
import io.parley.infra.EventPublisher;
import io.parley.infra.InfraTestResource;
import io.parley.infra.TestKeys;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Alerts to iPhones through APNs, against pushy's MockApnsServer on loopback: TLS, a provider token signed with the
 * team's .p8 key and checked by the server, the app's topic, and device tokens the server knows.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FcmStandIn.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ApnsStandIn.class, scope = TestResourceScope.GLOBAL)
class ApnsAlertsTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @ConfigProperty(name = "parley.test.apns-control")
    String apple;

    @Test
    void anOfflineRecipientsIphoneGetsOneCollapsedAlertWithTheBadge() throws Exception {
        String alice = "alice-" + UUID.randomUUID();
        String bob = "bob-" + UUID.randomUUID();
        UUID conversation = UUID.randomUUID();
        String iphone = deviceToken();
        control("/devices/" + iphone);
        subscribe(bob, iphone);
        try (EventPublisher events = new EventPublisher(kafka)) {
            for (int seq = 1; seq <= 3; seq++) {
                events.publish(Topics.MESSAGES, Alerts.message(conversation, seq, alice, List.of(alice, bob)));
            }
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> accepted(iphone).size() == 1);
        Thread.sleep(2_000);
        assertThat(accepted(iphone)).hasSize(1);
        assertThat(rejected(iphone)).isEmpty();

        JsonObject sent = accepted(iphone).get(0);
        assertThat(sent.getString("topic")).isEqualTo(ApnsStandIn.TOPIC);
        assertThat(sent.getString("collapseId"))
                .isEqualTo(conversation.toString().replace("-", ""));
        assertThat(sent.getString("pushType")).isEqualTo("alert");
        assertThat(sent.getString("priority")).isEqualTo("10");
        JsonObject aps = sent.getJsonObject("payload").getJsonObject("aps");
        assertThat(aps.getJsonObject("alert").getString("title")).isEqualTo("Alice");
        assertThat(aps.getJsonObject("alert").getString("body")).isEqualTo("3 new messages from Alice");
        assertThat(aps.getInteger("badge")).isEqualTo(3);
        assertThat(aps.getString("thread-id")).isEqualTo(conversation.toString());
        assertThat(sent.getJsonObject("payload").getString("conversationId")).isEqualTo(conversation.toString());
        assertThat(sent.getJsonObject("payload").getInteger("count")).isEqualTo(3);
        assertThat(sent.getJsonObject("payload").getInteger("lastSeq")).isEqualTo(3);
    }

    @Test
    void unregisteredAndBadDeviceTokensLoseTheirSubscriptions() throws Exception {
        String alice = "alice-" + UUID.randomUUID();
        String carol = "carol-" + UUID.randomUUID();
        String uninstalled = deviceToken();
        control("/devices/" + uninstalled);
        control("/unregistered/" + uninstalled);
        String malformed = "not-a-device-token-" + UUID.randomUUID();
        String first = subscribe(carol, uninstalled);
        String second = subscribe(carol, malformed);
        try (EventPublisher events = new EventPublisher(kafka)) {
            events.publish(Topics.MESSAGES, Alerts.message(UUID.randomUUID(), 1, alice, List.of(alice, carol)));
        }
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(rejected(uninstalled))
                    .extracting(r -> r.getString("reason"))
                    .containsExactly("UNREGISTERED");
            assertThat(rejected(malformed))
                    .extracting(r -> r.getString("reason"))
                    .containsExactly("BAD_DEVICE_TOKEN");
        });
        for (String id : List.of(first, second)) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> given().auth()
                                    .oauth2(TestKeys.token(carol, "client"))
                                    .delete("/api/push/subscriptions/" + id)
                                    .statusCode()
                            == 404);
        }
        assertThat(accepted(uninstalled)).isEmpty();
    }

    /** APNs device tokens are 32 bytes, written as 64 hex digits. */
    private static String deviceToken() {
        return (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "");
    }

    private void control(String path) throws Exception {
        int status = HTTP.send(
                        HttpRequest.newBuilder(URI.create(apple + path))
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
        assertThat(status).isEqualTo(204);
    }

    private List<JsonObject> accepted(String token) throws Exception {
        return recorded("accepted", token);
    }

    private List<JsonObject> rejected(String token) throws Exception {
        return recorded("rejected", token);
    }

    private List<JsonObject> recorded(String outcome, String token) throws Exception {
        JsonObject recorded = new JsonObject(HTTP.send(
                        HttpRequest.newBuilder(URI.create(apple + "/recorded")).build(),
                        HttpResponse.BodyHandlers.ofString())
                .body());
        return recorded.getJsonArray(outcome).stream()
                .map(JsonObject.class::cast)
                .filter(n -> token.equals(n.getString("token")))
                .toList();
    }

    private static String subscribe(String user, String token) {
        return Alerts.subscribe(user, Map.of("kind", "apns", "token", token));
    }
}

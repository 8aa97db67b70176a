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
import io.vertx.core.json.JsonArray;
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

/** Alerts to Android and iOS devices through FCM's HTTP v1 API, against a stand-in for Google on loopback. */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FcmStandIn.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ApnsStandIn.class, scope = TestResourceScope.GLOBAL)
class FcmAlertsTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @ConfigProperty(name = "parley.push.fcm.url")
    String fcm;

    @Test
    void anOfflineRecipientsPhoneGetsOneCollapsedAlertWithTheBadgeThroughFcm() throws Exception {
        String alice = "alice-" + UUID.randomUUID();
        String bob = "bob-" + UUID.randomUUID();
        UUID conversation = UUID.randomUUID();
        String phone = "fcm-device-" + UUID.randomUUID();
        subscribe(bob, phone);
        try (EventPublisher events = new EventPublisher(kafka)) {
            events.publish(Topics.MESSAGES, Alerts.message(conversation, 1, alice, List.of(alice, bob)));
            events.publish(Topics.MESSAGES, Alerts.message(conversation, 2, alice, List.of(alice, bob)));
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> to(phone).size() == 1);
        Thread.sleep(2_000);
        assertThat(to(phone)).hasSize(1);
        assertThat(recorded().getJsonArray("failures")).isEmpty();

        JsonObject sent = to(phone).get(0);
        String collapse = conversation.toString().replace("-", "");
        assertThat(sent.getJsonObject("notification").getString("title")).isEqualTo("Alice");
        assertThat(sent.getJsonObject("notification").getString("body")).isEqualTo("2 new messages from Alice");
        assertThat(sent.getJsonObject("data").getString("conversationId")).isEqualTo(conversation.toString());
        assertThat(sent.getJsonObject("data").getString("count")).isEqualTo("2");
        assertThat(sent.getJsonObject("android").getString("collapse_key")).isEqualTo(collapse);
        assertThat(sent.getJsonObject("apns").getJsonObject("headers").getString("apns-collapse-id"))
                .isEqualTo(collapse);
        assertThat(sent.getJsonObject("apns")
                        .getJsonObject("payload")
                        .getJsonObject("aps")
                        .getLong("badge"))
                .isEqualTo(2);
    }

    @Test
    void anUnregisteredTokenLosesItsSubscription() throws Exception {
        String alice = "alice-" + UUID.randomUUID();
        String carol = "carol-" + UUID.randomUUID();
        String token = "fcm-gone-" + UUID.randomUUID();
        String id = subscribe(carol, token);
        HTTP.send(
                HttpRequest.newBuilder(URI.create(fcm + "/gone/" + token))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.discarding());
        try (EventPublisher events = new EventPublisher(kafka)) {
            events.publish(Topics.MESSAGES, Alerts.message(UUID.randomUUID(), 1, alice, List.of(alice, carol)));
        }
        await().atMost(Duration.ofSeconds(15))
                .until(() -> given().auth()
                                .oauth2(TestKeys.token(carol, "client"))
                                .delete("/api/push/subscriptions/" + id)
                                .statusCode()
                        == 404);
        assertThat(to(token)).isEmpty();
    }

    private JsonObject recorded() throws Exception {
        return new JsonObject(HTTP.send(
                        HttpRequest.newBuilder(URI.create(fcm + "/recorded")).build(),
                        HttpResponse.BodyHandlers.ofString())
                .body());
    }

    private List<JsonObject> to(String token) throws Exception {
        JsonArray messages = recorded().getJsonArray("messages");
        return messages.stream()
                .map(JsonObject.class::cast)
                .filter(m -> token.equals(m.getString("token")))
                .toList();
    }

    private static String subscribe(String user, String token) {
        return Alerts.subscribe(user, Map.of("kind", "fcm", "token", token));
    }
}

package io.parley.notification;

import io.parley.infra.InfraTestResource;
import io.parley.infra.TestKeys;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FcmStandIn.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ApnsStandIn.class, scope = TestResourceScope.GLOBAL)
class PushSubscriptionTest {

    private static final String P256DH = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[65]);
    private static final String AUTH = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[16]);

    @Test
    void theSameEndpointTwiceIsOneSubscriptionThatOnlyItsOwnerDeletes() {
        String alice = "alice-" + UUID.randomUUID();
        Map<String, Object> webpush = Map.of("kind", "webpush",
                "endpoint", "https://push.example.net/send/" + UUID.randomUUID(),
                "keys", Map.of("p256dh", P256DH, "auth", AUTH));
        String first = subscribe(alice, webpush);
        String again = subscribe(alice, webpush);
        assertThat(again).isEqualTo(first);

        given().auth().oauth2(TestKeys.token("mallory", "client"))
                .when().delete("/api/push/subscriptions/" + first).then().statusCode(404);
        given().auth().oauth2(TestKeys.token(alice, "client"))
                .when().delete("/api/push/subscriptions/" + first).then().statusCode(204);
        given().auth().oauth2(TestKeys.token(alice, "client"))
                .when().delete("/api/push/subscriptions/" + first).then().statusCode(404);
    }

    @Test
    void deviceTokensAreSubscriptionsToo() {
        String token = "device-" + UUID.randomUUID();
        String fcm = subscribe("bob", Map.of("kind", "fcm", "token", token));
        String apns = subscribe("bob", Map.of("kind", "apns", "token", token));
        assertThat(fcm).isNotEqualTo(apns);
        assertThat(subscribe("bob", Map.of("kind", "fcm", "token", token))).isEqualTo(fcm);
    }

    @Test
    void badSubscriptionsAreRefusedWithAProblem() {
        for (Map<String, Object> bad : new Map[]{
                Map.of("kind", "webpush", "endpoint", "http://push.example.net/x", "keys", Map.of("p256dh", P256DH, "auth", AUTH)),
                Map.of("kind", "webpush", "endpoint", "https://push.example.net/x", "keys", Map.of("p256dh", "short", "auth", AUTH)),
                Map.of("kind", "webpush", "endpoint", "not a url"),
                Map.of("kind", "fcm"),
                Map.of("kind", "sms", "token", "x"),
                Map.of()}) {
            given().auth().oauth2(TestKeys.token("carol", "client"))
                    .contentType(ContentType.JSON).body(bad)
                    .when().post("/api/push/subscriptions")
                    .then().statusCode(400).contentType("application/problem+json");
        }
        given().auth().oauth2(TestKeys.token("carol", "client"))
                .contentType(ContentType.JSON).body("{\"kind\": ")
                .when().post("/api/push/subscriptions")
                .then().statusCode(400).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body(Map.of("kind", "fcm", "token", "t"))
                .when().post("/api/push/subscriptions")
                .then().statusCode(401);
    }

    private static String subscribe(String user, Map<String, Object> body) {
        return given().auth().oauth2(TestKeys.token(user, "client"))
                .contentType(ContentType.JSON).body(body)
                .when().post("/api/push/subscriptions")
                .then().statusCode(201).extract().path("id");
    }
}

package io.parley.notification;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.infra.InfraTestResource;
import io.parley.infra.TestKeys;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

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
        Map<String, Object> webpush = Map.of(
                "kind",
                "webpush",
                "endpoint",
                "https://push.example.net/send/" + UUID.randomUUID(),
                "keys",
                Map.of("p256dh", P256DH, "auth", AUTH));
        String first = subscribe(alice, webpush);
        String again = subscribe(alice, webpush);
        assertThat(again).isEqualTo(first);

        given().auth()
                .oauth2(TestKeys.token("mallory", "client"))
                .when()
                .delete("/api/push/subscriptions/" + first)
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(TestKeys.token(alice, "client"))
                .when()
                .delete("/api/push/subscriptions/" + first)
                .then()
                .statusCode(204);
        given().auth()
                .oauth2(TestKeys.token(alice, "client"))
                .when()
                .delete("/api/push/subscriptions/" + first)
                .then()
                .statusCode(404);
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
        for (Map<String, Object> bad : new Map[] {
            Map.of(
                    "kind",
                    "webpush",
                    "endpoint",
                    "http://push.example.net/x",
                    "keys",
                    Map.of("p256dh", P256DH, "auth", AUTH)),
            Map.of(
                    "kind",
                    "webpush",
                    "endpoint",
                    "https://push.example.net/x",
                    "keys",
                    Map.of("p256dh", "short", "auth", AUTH)),
            Map.of("kind", "webpush", "endpoint", "not a url"),
            Map.of("kind", "fcm"),
            Map.of("kind", "sms", "token", "x"),
            Map.of()
        }) {
            given().auth()
                    .oauth2(TestKeys.token("carol", "client"))
                    .contentType(ContentType.JSON)
                    .body(bad)
                    .when()
                    .post("/api/push/subscriptions")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json");
        }
        given().auth()
                .oauth2(TestKeys.token("carol", "client"))
                .contentType(ContentType.JSON)
                .body("{\"kind\": ")
                .when()
                .post("/api/push/subscriptions")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().contentType(ContentType.JSON)
                .body(Map.of("kind", "fcm", "token", "t"))
                .when()
                .post("/api/push/subscriptions")
                .then()
                .statusCode(401);
    }

    @Test
    void textThatCannotBeStoredIsRefusedNamingTheFieldAndTheStoredSubscriptionStays() {
        String dan = "dan-" + UUID.randomUUID();
        String token = "tok-" + UUID.randomUUID();
        String id = subscribe(dan, Map.of("kind", "fcm", "token", token));
        String endpoint = "https://push.example.net/send/" + UUID.randomUUID();
        String webpush = subscribe(
                dan, Map.of("kind", "webpush", "endpoint", endpoint, "keys", Map.of("p256dh", P256DH, "auth", AUTH)));
        for (String bad : new String[] {"a\\u0000b", "x\\uD800y"}) {
            Map<String, String> bodies = Map.of(
                    "token", "{\"kind\":\"fcm\",\"token\":\"" + token + bad + "\"}",
                    "kind", "{\"kind\":\"fcm" + bad + "\",\"token\":\"" + token + "\"}",
                    "endpoint",
                            "{\"kind\":\"webpush\",\"endpoint\":\"" + endpoint + bad + "\",\"keys\":{\"p256dh\":\""
                                    + P256DH + "\",\"auth\":\"" + AUTH + "\"}}",
                    "keys.p256dh",
                            "{\"kind\":\"webpush\",\"endpoint\":\"" + endpoint + "\",\"keys\":{\"p256dh\":\"" + P256DH
                                    + bad + "\",\"auth\":\"" + AUTH + "\"}}",
                    "keys.auth",
                            "{\"kind\":\"webpush\",\"endpoint\":\"" + endpoint + "\",\"keys\":{\"p256dh\":\"" + P256DH
                                    + "\",\"auth\":\"" + AUTH + bad + "\"}}");
            bodies.forEach((field, body) -> given().auth()
                    .oauth2(TestKeys.token(dan, "client"))
                    .contentType(ContentType.JSON)
                    .body(body)
                    .when()
                    .post("/api/push/subscriptions")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("detail", org.hamcrest.Matchers.startsWith(field + " ")));
        }
        // A NUL in a path id (a lone surrogate cannot travel in a URL: its UTF-8 does not exist).
        given().auth()
                .oauth2(TestKeys.token(dan, "client"))
                .urlEncodingEnabled(false)
                .when()
                .delete("/api/push/subscriptions/a%00b")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.startsWith("id "));
        // What was stored is untouched: the same token and endpoint are still the same subscriptions.
        assertThat(subscribe(dan, Map.of("kind", "fcm", "token", token))).isEqualTo(id);
        assertThat(subscribe(
                        dan,
                        Map.of(
                                "kind",
                                "webpush",
                                "endpoint",
                                endpoint,
                                "keys",
                                Map.of("p256dh", P256DH, "auth", AUTH))))
                .isEqualTo(webpush);
    }

    @Test
    void everyOtherTokenIsStoredExactlyAsSent() {
        String erin = "erin-" + UUID.randomUUID();
        String base = "tok-" + UUID.randomUUID();
        String marked = base + "\u200F\u200B😀\u0001";
        String plain = subscribe(erin, Map.of("kind", "apns", "token", base));
        String exact = subscribe(erin, Map.of("kind", "apns", "token", marked));
        assertThat(exact).as("not the same token once marks are stripped").isNotEqualTo(plain);
        assertThat(subscribe(erin, Map.of("kind", "apns", "token", marked))).isEqualTo(exact);
        given().auth()
                .oauth2(TestKeys.token(erin, "client"))
                .contentType(ContentType.JSON)
                .body(Map.of("kind", "apns", "token", " " + base))
                .when()
                .post("/api/push/subscriptions")
                .then()
                .statusCode(400)
                .body("detail", org.hamcrest.Matchers.startsWith("token "));
    }

    @Test
    void aSubscriptionWithSeveralWrongPartsNamesEachOfThem() {
        String detail = given().auth()
                .oauth2(TestKeys.token("carol", "client"))
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "kind",
                        "webpush",
                        "endpoint",
                        "https://push.example.net/x",
                        "keys",
                        Map.of("p256dh", P256DH, "auth", "short")))
                .when()
                .post("/api/push/subscriptions")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .extract()
                .path("detail");
        assertThat(detail).startsWith("keys.auth ").doesNotContain("keys.p256dh");

        detail = given().auth()
                .oauth2(TestKeys.token("carol", "client"))
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "kind",
                        "webpush",
                        "endpoint",
                        "https://push.example.net/x",
                        "keys",
                        Map.of("p256dh", "short", "auth", AUTH)))
                .when()
                .post("/api/push/subscriptions")
                .then()
                .statusCode(400)
                .extract()
                .path("detail");
        assertThat(detail).startsWith("keys.p256dh ").doesNotContain("keys.auth");

        detail = given().auth()
                .oauth2(TestKeys.token("carol", "client"))
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "kind", "webpush", "endpoint", "http://push.example.net/x", "keys", Map.of("auth", "short")))
                .when()
                .post("/api/push/subscriptions")
                .then()
                .statusCode(400)
                .extract()
                .path("detail");
        assertThat(detail)
                .contains("endpoint must be an https URL")
                .contains("keys.p256dh is required")
                .contains("keys.auth must be 16 bytes");

        // a number where text is expected is refused, not stored as its digits
        for (String body : new String[] {
            "{\"kind\":\"fcm\",\"token\":1234567}",
            "{\"kind\":\"webpush\",\"endpoint\":5,\"keys\":{\"p256dh\":\"x\",\"auth\":true}}"
        }) {
            given().auth()
                    .oauth2(TestKeys.token("carol", "client"))
                    .contentType(ContentType.JSON)
                    .body(body)
                    .when()
                    .post("/api/push/subscriptions")
                    .then()
                    .statusCode(400)
                    .body("detail", org.hamcrest.Matchers.endsWith("must be a string."));
        }

        // a string that cannot be stored is one of the wrong parts, named with the others
        detail = given().auth()
                .oauth2(TestKeys.token("carol", "client"))
                .contentType(ContentType.JSON)
                .body(
                        "{\"kind\":\"webpush\",\"endpoint\":\"http://push.example.net/x\",\"keys\":{\"p256dh\":\"a\\u0000b\","
                                + "\"auth\":\"x\\uD800y\"}}")
                .when()
                .post("/api/push/subscriptions")
                .then()
                .statusCode(400)
                .extract()
                .path("detail");
        assertThat(detail)
                .contains("endpoint must be an https URL")
                .contains("keys.p256dh contains U+0000 (NUL)")
                .contains("keys.auth contains an unpaired UTF-16 surrogate");

        detail = given().auth()
                .oauth2(TestKeys.token("carol", "client"))
                .contentType(ContentType.JSON)
                .body(Map.of("kind", "webpush", "endpoint", "https://push.example.net/x"))
                .when()
                .post("/api/push/subscriptions")
                .then()
                .statusCode(400)
                .extract()
                .path("detail");
        assertThat(detail).startsWith("keys is required");
    }

    private static String subscribe(String user, Map<String, Object> body) {
        return given().auth()
                .oauth2(TestKeys.token(user, "client"))
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/api/push/subscriptions")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }
}

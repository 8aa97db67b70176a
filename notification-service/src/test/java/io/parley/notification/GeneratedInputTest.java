package io.parley.notification;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.infra.InfraTestResource;
import io.parley.infra.TestKeys;
import io.parley.infra.fuzz.ApiCalls;
import io.parley.infra.fuzz.Inputs;
import io.parley.infra.fuzz.RestFuzz;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Generated input on every REST call of this service (docs/openapi/notification-service.yaml): subscription and mute
 * bodies, path ids, query strings and headers made by {@link Inputs} ({@link ApiCalls#notifications}). No answer is a 5xx, every 4xx is a problem
 * body, and another user's subscription and mute stored before are still there, unchanged. docs/reliability.md.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
class GeneratedInputTest {

    /** Requests per run (times {@code -Dparley.fuzz.scale}). */
    private static final int REQUESTS = 1500;

    @TestHTTPResource("/")
    URI service;

    @Test
    void noGeneratedRequestFailsTheServiceOrChangesWhatOthersStored() {
        long seed = Inputs.seed();
        Inputs in = new Inputs(seed);
        String alice = "alice-" + UUID.randomUUID();
        String sam = "sam-" + UUID.randomUUID();

        // stored before: sam's device and sam's mute, which alice's requests must leave as they are
        Map<String, Object> samsDevice = Map.of(
                "kind",
                "webpush",
                "endpoint",
                "https://push.example.net/send/" + UUID.randomUUID(),
                "keys",
                Map.of("p256dh", ApiCalls.P256DH, "auth", ApiCalls.AUTH));
        String samsSubscription = subscribe(sam, samsDevice);
        String samsConversation = UUID.randomUUID().toString();
        mute(sam, samsConversation, Instant.now().plus(1, ChronoUnit.DAYS).toString());
        String samsMutesBefore = mutes(sam);

        List<String> subscriptions = new ArrayList<>(List.of(samsSubscription));
        List<String> conversations = new ArrayList<>(List.of(samsConversation));
        for (int i = 0; i < 2; i++) {
            subscriptions.add(subscribe(alice, Map.of("kind", "fcm", "token", "device-" + UUID.randomUUID())));
            String own = UUID.randomUUID().toString();
            mute(alice, own, null);
            conversations.add(own);
        }

        RestFuzz fuzz = new RestFuzz(
                service,
                in,
                seed,
                () -> TestKeys.token(alice, in.pick("client", "client", "client", "expert", "admin", "nobody")));
        fuzz.run(ApiCalls.notifications(subscriptions, conversations), Inputs.scaled(REQUESTS));
        System.out.println(fuzz.summary("notification-service"));
        fuzz.assertNoFailure();

        assertThat(mutes(sam)).as("sam's mutes").isEqualTo(samsMutesBefore);
        assertThat(subscribe(sam, samsDevice))
                .as("sam's device is still sam's subscription")
                .isEqualTo(samsSubscription);
    }

    private static String subscribe(String user, Map<String, Object> body) {
        return given().auth()
                .oauth2(TestKeys.token(user, "client"))
                .contentType(ContentType.JSON)
                .body(body)
                .post("/api/push/subscriptions")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    private static void mute(String user, String conversation, String until) {
        given().auth()
                .oauth2(TestKeys.token(user, "client"))
                .contentType(ContentType.JSON)
                .body(until == null ? "{}" : "{\"until\":\"" + until + "\"}")
                .put("/api/push/mutes/" + conversation)
                .then()
                .statusCode(204);
    }

    private static String mutes(String user) {
        return given().auth()
                .oauth2(TestKeys.token(user, "client"))
                .get("/api/push/mutes")
                .then()
                .statusCode(200)
                .extract()
                .asString();
    }
}

package io.parley.gateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.parley.gateway.ws.Handover;
import io.parley.infra.InfraTestResource;
import io.parley.infra.TestKeys;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.health.SmallRyeHealth;
import io.smallrye.health.SmallRyeHealthReporter;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A gateway that is stopping hands its clients over (issue 16): readiness DOWN, new upgrades refused with 503 and
 * Retry-After, and every open WebSocket closed with 1012 (service restart), which clients answer by reconnecting at
 * once elsewhere. The drain is what SIGTERM starts (Quarkus' shutdown-delay event); the test starts it directly, with
 * a one-second window, in an application of its own (the drain cannot be undone).
 */
@QuarkusTest
@TestProfile(HandoverTest.ShortDrain.class)
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
class HandoverTest {

    /** A one-second window: the closes are spread over it. */
    public static class ShortDrain implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("parley.gateway.shutdown-drain", "1s");
        }
    }

    @TestHTTPResource("/ws")
    URI ws;

    @Inject
    Vertx vertx;

    @Inject
    Handover handover;

    @Inject
    SmallRyeHealthReporter health;

    @Test
    void aStoppingGatewayClosesItsClientsWith1012AndRefusesNewOnesWith503() throws Exception {
        WebSocketClient client = vertx.createWebSocketClient();
        try {
            List<WsClient> clients = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                clients.add(
                        new WsClient(client, ws, TestKeys.token("moving-" + i + "-" + UUID.randomUUID(), "client")));
            }
            assertThat(readiness().getString("status")).isEqualTo("UP");

            handover.drain().toCompletableFuture().get(10, TimeUnit.SECONDS);

            for (WsClient c : clients) {
                assertThat(c.closed.get(10, TimeUnit.SECONDS)).as("close code").isEqualTo((short) 1012);
            }
            JsonObject ready = readiness();
            assertThat(ready.getString("status")).isEqualTo("DOWN");
            assertThat(ready.getJsonArray("checks").stream()
                            .map(JsonObject.class::cast)
                            .filter(c -> c.getString("name").equals("gateway accepting connections"))
                            .findFirst()
                            .orElseThrow()
                            .getString("status"))
                    .isEqualTo("DOWN");

            given().header("Authorization", "Bearer " + TestKeys.token("late-" + UUID.randomUUID(), "client"))
                    .header("Connection", "Upgrade")
                    .header("Upgrade", "websocket")
                    .header("Sec-WebSocket-Version", "13")
                    .header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
                    .get(ws.getPath())
                    .then()
                    .statusCode(503)
                    .header("Retry-After", "1")
                    .contentType("application/problem+json");
        } finally {
            client.close();
        }
    }

    private JsonObject readiness() {
        SmallRyeHealth ready = health.getReadiness();
        return ready.getPayload();
    }
}

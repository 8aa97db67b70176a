package io.parley.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.parley.events.PresenceChanged;
import io.parley.events.Topics;
import io.parley.gateway.presence.PresenceRegistry;
import io.parley.infra.EventTap;
import io.parley.infra.InfraTestResource;
import io.parley.infra.TestKeys;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
class PresenceTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @TestHTTPResource("/ws")
    URI ws;

    @Inject
    Vertx vertx;

    @Inject
    PresenceRegistry presence;

    EventTap tap;
    WebSocketClient client;

    @BeforeEach
    void open() {
        tap = EventTap.open(kafka, Topics.PRESENCE);
        client = vertx.createWebSocketClient();
    }

    @AfterEach
    void close() {
        tap.close();
        client.close();
    }

    @Test
    void aUserIsOnlineFromTheirFirstConnectionToTheCloseOfTheirLast() throws Exception {
        String alice = "alice-" + UUID.randomUUID();
        LinkedBlockingQueue<String> framesA = new LinkedBlockingQueue<>();
        WebSocket first = connect(TestKeys.token(alice, "client"), framesA);
        JsonObject welcome = new JsonObject(framesA.poll(10, TimeUnit.SECONDS));
        assertThat(welcome.getString("type")).isEqualTo("welcome");
        assertThat(welcome.getString("userId")).isEqualTo(alice);
        assertThat(welcome.getString("connectionId")).isNotBlank();

        WebSocket second = connect(TestKeys.token(alice, "client"), new LinkedBlockingQueue<>());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> presence.connections(alice).await().indefinitely() == 2);

        first.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> presence.connections(alice).await().indefinitely() == 1);
        second.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> presence.connections(alice).await().indefinitely() == 0);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<Boolean> changes = tap
                    .events(PresenceChanged.class, e -> e.userId().equals(alice))
                    .stream()
                    .map(PresenceChanged::online)
                    .toList();
            assertThat(changes).containsExactly(true, false);
        });
        // the online change carries the token's display name (its name claim: the user id in these tokens), for the
        // conversation-service to name the user in conversation views; the offline one none
        assertThat(tap.events(PresenceChanged.class, e -> e.userId().equals(alice)))
                .extracting(PresenceChanged::name)
                .containsExactly(alice, null);
    }

    @Test
    void aPingIsAnsweredAndAnUnknownFrameGetsAnErrorWithoutClosing() throws Exception {
        LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
        WebSocket socket = connect(TestKeys.token("bob-" + UUID.randomUUID(), "expert"), frames);
        assertThat(new JsonObject(frames.poll(10, TimeUnit.SECONDS)).getString("type"))
                .isEqualTo("welcome");

        socket.writeTextMessage("{not json");
        assertThat(new JsonObject(frames.poll(10, TimeUnit.SECONDS)).getString("code"))
                .isEqualTo("invalid");
        socket.writeTextMessage("{\"type\":\"ping\"}");
        assertThat(new JsonObject(frames.poll(10, TimeUnit.SECONDS)).getString("type"))
                .isEqualTo("pong");
        assertThat(socket.isClosed()).isFalse();
        socket.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void anUpgradeWithoutAValidTokenIsRefusedWith401() {
        assertThatThrownBy(() -> connect(null, new LinkedBlockingQueue<>()))
                .hasRootCauseInstanceOf(UpgradeRejectedException.class)
                .rootCause()
                .satisfies(e ->
                        assertThat(((UpgradeRejectedException) e).getStatus()).isEqualTo(401));
        assertThatThrownBy(() -> connect(TestKeys.keys().expiredToken("carol", "client"), new LinkedBlockingQueue<>()))
                .hasRootCauseInstanceOf(UpgradeRejectedException.class);
    }

    private WebSocket connect(String token, LinkedBlockingQueue<String> frames) throws Exception {
        WebSocketConnectOptions options = new WebSocketConnectOptions()
                .setHost(ws.getHost())
                .setPort(ws.getPort())
                .setURI(ws.getPath());
        if (token != null) {
            options.addHeader("Authorization", "Bearer " + token);
        }
        // The handler is set as the connection completes, on its event loop, so that no frame (welcome first)
        // arrives before it.
        return client.connect(options)
                .map(socket -> {
                    socket.textMessageHandler(frames::add);
                    return socket;
                })
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }
}

package io.parley.gateway;

import static org.assertj.core.api.Assertions.assertThat;
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
import io.vertx.core.http.WebSocketClient;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client whose network vanished without closing TCP is noticed: the gateway pings every connection and closes the
 * one from which nothing came for the idle timeout (in tests: pings every second, 4 s of silence). A client that
 * answers pings, or keeps sending frames, stays.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
class LivenessTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @ConfigProperty(name = "parley.gateway.idle-timeout")
    Duration idleTimeout;

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
    void aClientThatNeverAnswersPingsIsClosedAndGoesOffline() throws Exception {
        String gone = "gone-" + UUID.randomUUID();
        try (RawWsClient silent = new RawWsClient(ws, TestKeys.token(gone, "client"))) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> presence.connections(gone).await().indefinitely() == 1);
            // Closed by the server well within twice the idle timeout (a correct gateway takes the timeout plus a
            // second or two), and the TCP connection is cut: a vanished client would never answer the close frame.
            try {
                silent.ended.get(idleTimeout.multipliedBy(3).toSeconds(), TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError(
                        "not closed in time; frames seen: " + silent.opcodes + " close " + silent.closeCode
                                + " presence "
                                + presence.connections(gone).await().indefinitely(),
                        e);
            }
            assertThat(silent.opcodes).contains(RawWsClient.PING);
            assertThat(silent.closeCode.getNow(null)).isEqualTo(1001);
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> presence.connections(gone).await().indefinitely() == 0);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(tap
                                .events(PresenceChanged.class, e -> e.userId().equals(gone))
                                .stream()
                                .map(PresenceChanged::online)
                                .toList())
                        .containsExactly(true, false));
    }

    @Test
    void everyConnectionIsPingedEveryPingIntervalFromItsRegistration() throws Exception {
        String user = "pinged-" + UUID.randomUUID();
        try (RawWsClient raw = new RawWsClient(ws, TestKeys.token(user, "client"))) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> presence.connections(user).await().indefinitely() == 1);
            long pings =
                    raw.opcodes.stream().filter(op -> op == RawWsClient.PING).count();
            // The interval in tests is a second (the first ping once two have passed without a frame of the client's
            // own): over five and a half seconds, four pings are due; at least two, whatever the scheduler's slack. The
            // client's unsolicited pongs keep it from being closed as silent, and do not put the pings off.
            for (int i = 0; i < 11; i++) {
                raw.sendPong();
                Thread.sleep(500);
            }
            assertThat(raw.opcodes.stream().filter(op -> op == RawWsClient.PING).count() - pings)
                    .isGreaterThanOrEqualTo(2);
            assertThat(raw.opcodes).doesNotContain(RawWsClient.CLOSE);
        }
    }

    @Test
    void aClientThatKeepsTalkingIsNotPinged() throws Exception {
        String user = "talking-" + UUID.randomUUID();
        try (RawWsClient talking = new RawWsClient(ws, TestKeys.token(user, "client"))) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> presence.connections(user).await().indefinitely() == 1);
            long before = talking.opcodes.stream()
                    .filter(op -> op == RawWsClient.PING)
                    .count();
            // An app's own ping frame five times a second for five and a half seconds: it proves the client is there,
            // so the server's pings (four due for a silent connection, see above) are not needed; a frame of its own
            // within two seconds (the interval and a check) spares it, so only a stall of the test's thread that long
            // could let one in.
            for (int i = 0; i < 27; i++) {
                talking.sendText("{\"type\":\"ping\"}");
                Thread.sleep(200);
            }
            assertThat(talking.opcodes.stream()
                                    .filter(op -> op == RawWsClient.PING)
                                    .count()
                            - before)
                    .isLessThanOrEqualTo(1);
            assertThat(talking.opcodes).doesNotContain(RawWsClient.CLOSE);
        }
    }

    @Test
    void clientsThatAnswerPingsOrKeepSendingStayConnectedPastTheTimeout() throws Exception {
        String here = "here-" + UUID.randomUUID();
        String chatty = "chatty-" + UUID.randomUUID();
        // a WebSocket library answers pings by itself
        WsClient answering = new WsClient(client, ws, TestKeys.token(here, "client"));
        // a client that never answers a ping but sends a frame (here a pong of its own) every half second
        try (RawWsClient sending = new RawWsClient(ws, TestKeys.token(chatty, "client"))) {
            long until = System.nanoTime() + idleTimeout.multipliedBy(2).toNanos();
            int i = 0;
            while (System.nanoTime() < until) {
                if (i++ % 2 == 0) {
                    sending.sendPong();
                } else {
                    sending.sendText("{\"type\":\"ping\"}");
                }
                Thread.sleep(500);
            }
            assertThat(sending.ended).isNotDone();
            assertThat(sending.opcodes).doesNotContain(RawWsClient.CLOSE);
            assertThat(answering.socket.isClosed()).isFalse();
            assertThat(answering.untilPong()).isEmpty();
            assertThat(presence.connections(here).await().indefinitely()).isEqualTo(1);
            assertThat(presence.connections(chatty).await().indefinitely()).isEqualTo(1);
            assertThat(tap.events(
                            PresenceChanged.class, e -> List.of(here, chatty).contains(e.userId())))
                    .allMatch(PresenceChanged::online);
        }
        answering.socket.close();
    }
}

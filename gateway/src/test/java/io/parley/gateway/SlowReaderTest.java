package io.parley.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.events.ConversationKind;
import io.parley.events.Event;
import io.parley.events.EventSerializer;
import io.parley.events.MessageData;
import io.parley.events.MessageEvent;
import io.parley.events.Role;
import io.parley.events.Topics;
import io.parley.gateway.presence.PresenceRegistry;
import io.parley.infra.InfraTestResource;
import io.parley.infra.MetricsScrape;
import io.parley.infra.TestKeys;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A client that stops reading cannot make the gateway hold its frames without bound; its close is counted, with its
 * code, in the gateway's metrics.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
class SlowReaderTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @TestHTTPResource("/ws")
    URI ws;

    @TestHTTPResource(value = "/metrics", management = true)
    URI metrics;

    @Inject
    Vertx vertx;

    @Inject
    PresenceRegistry presence;

    @Test
    void aClientThatStopsReadingIsClosedWhileOneThatReadsKeepsUp() throws Exception {
        String slow = "slow-" + UUID.randomUUID();
        String reader = "reader-" + UUID.randomUUID();
        MetricsScrape before = MetricsScrape.of(metrics);
        WebSocketClient client = vertx.createWebSocketClient();
        AtomicLong readerFrames = new AtomicLong();
        WebSocket readerSocket =
                connect(client, reader, s -> s.textMessageHandler(t -> readerFrames.incrementAndGet()));
        // The slow client: a plain socket with a small receive buffer that upgrades, then never reads again.
        Socket slowSocket = new Socket();
        slowSocket.setReceiveBufferSize(4_096);
        slowSocket.connect(new InetSocketAddress(ws.getHost(), ws.getPort()));
        slowSocket
                .getOutputStream()
                .write(("GET /ws HTTP/1.1\r\nHost: " + ws.getHost() + "\r\n"
                                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(new byte[16]) + "\r\n"
                                + "Authorization: Bearer " + TestKeys.token(slow, "client") + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        InputStream in = slowSocket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            head.append((char) in.read());
        }
        assertThat(head.toString()).startsWith("HTTP/1.1 101");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> presence.connections(slow).await().indefinitely() == 1);
        // It never reads, but it is not gone: it sends a pong of its own (a masked, empty frame) every half second,
        // so it is closed for not reading, not for silence.
        java.io.OutputStream slowOut = slowSocket.getOutputStream();
        Thread heartbeat = new Thread(
                () -> {
                    try {
                        while (!slowSocket.isClosed()) {
                            slowOut.write(new byte[] {(byte) 0x8A, (byte) 0x80, 0, 0, 0, 0});
                            slowOut.flush();
                            Thread.sleep(500);
                        }
                    } catch (Exception e) {
                        // the server cut the connection, or the test closed it
                    }
                },
                "slow-heartbeat");
        heartbeat.setDaemon(true);
        heartbeat.start();

        UUID conversation = UUID.randomUUID();
        String content = "x".repeat(2_000);
        // Enough that the sockets' kernel buffers (several MiB on loopback) fill and frames queue in the gateway.
        int events = 20_000;
        try (KafkaProducer<String, Event> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka, ProducerConfig.LINGER_MS_CONFIG, 5),
                new StringSerializer(),
                new EventSerializer())) {
            for (int seq = 1; seq <= events; seq++) {
                MessageData message = new MessageData(
                        UUID.randomUUID(),
                        conversation,
                        seq,
                        UUID.randomUUID().toString(),
                        reader,
                        Role.CLIENT,
                        "Reader",
                        "text",
                        content,
                        List.of(),
                        Instant.now(),
                        null,
                        null);
                MessageEvent event = MessageEvent.of(
                        MessageEvent.CREATED, ConversationKind.GROUP, List.of(slow, reader), message, Instant.now());
                producer.send(new ProducerRecord<>(Topics.MESSAGES, event.key(), event));
            }
        }
        // The slow connection is closed by the server (its presence record goes with it)...
        await().atMost(Duration.ofSeconds(60))
                .until(() -> presence.connections(slow).await().indefinitely() == 0);
        slowSocket.close();
        // ...while the one that reads gets every frame and stays open.
        await().atMost(Duration.ofSeconds(60)).until(() -> readerFrames.get() >= events + 1);
        assertThat(readerSocket.isClosed()).isFalse();
        MetricsScrape after = MetricsScrape.of(metrics);
        assertThat(after.value("parley_ws_slow_reader_closes_total")
                        - before.value("parley_ws_slow_reader_closes_total"))
                .isEqualTo(1);
        assertThat(after.value("parley_ws_closes_total{code=\"1013\"}")
                        - before.value("parley_ws_closes_total{code=\"1013\"}"))
                .isEqualTo(1);
        readerSocket.close();
        client.close();
    }

    private WebSocket connect(WebSocketClient client, String user, java.util.function.Consumer<WebSocket> setup)
            throws Exception {
        return client.connect(new WebSocketConnectOptions()
                        .setHost(ws.getHost())
                        .setPort(ws.getPort())
                        .setURI(ws.getPath())
                        .addHeader("Authorization", "Bearer " + TestKeys.token(user, "client")))
                .map(socket -> {
                    setup.accept(socket);
                    return socket;
                })
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }
}

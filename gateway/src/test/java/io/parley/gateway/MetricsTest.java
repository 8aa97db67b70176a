package io.parley.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.events.Event;
import io.parley.events.EventSerializer;
import io.parley.events.MessageData;
import io.parley.events.MessageEvent;
import io.parley.events.Topics;
import io.parley.infra.InfraTestResource;
import io.parley.infra.MetricsScrape;
import io.parley.infra.TestKeys;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The gateway's metrics, as an operator reads them: on the management interface only (the public port answers 404
 * for /q/metrics and /q/health), and moving with what the gateway does: a delivery is measured once per socket, frames
 * are counted by type in and out, sends by outcome, closes by code.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
class MetricsTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @TestHTTPResource("/ws")
    URI ws;

    @TestHTTPResource("/")
    URI publicRoot;

    /** The management interface's root is /q: these are its /q/metrics and /q/health/ready. */
    @TestHTTPResource(value = "/metrics", management = true)
    URI metrics;

    @TestHTTPResource(value = "/health/ready", management = true)
    URI ready;

    @Inject
    Vertx vertx;

    @Test
    void thePublicPortServesNeitherMetricsNorHealthButStillTheOpenApiDocument() throws Exception {
        for (String path : List.of("/q/metrics", "/q/health/ready", "/q/health/live")) {
            assertThat(status(publicRoot.resolve(path)))
                    .as(path + " on the public port")
                    .isEqualTo(404);
        }
        // The API's description stays on the public port, where clients and docs/openapi/refresh.sh read it: the
        // gateway's own part here (the merged document needs the services, which this test does not run: 503).
        assertThat(status(publicRoot.resolve("/q/openapi/gateway"))).isEqualTo(200);
        assertThat(status(publicRoot.resolve("/q/openapi"))).isIn(200, 503);
        assertThat(status(metrics)).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> status(ready) == 200);
        assertThat(metrics.getPort()).isNotEqualTo(publicRoot.getPort());
    }

    @Test
    void deliveriesFramesSendsAndClosesAreCounted() throws Exception {
        String alice = "metrics-a-" + UUID.randomUUID();
        String bob = "metrics-b-" + UUID.randomUUID();
        MetricsScrape before = MetricsScrape.of(metrics);
        WebSocketClient client = vertx.createWebSocketClient();
        WsClient a = new WsClient(client, ws, TestKeys.token(alice, "client"));
        WsClient b = new WsClient(client, ws, TestKeys.token(bob, "client"));
        assertThat(MetricsScrape.of(metrics).value("parley_ws_connections")).isGreaterThanOrEqualTo(2);

        a.untilPong();
        a.send("not json");
        assertThat(a.next().getString("code")).isEqualTo("invalid");
        // No message-service in this module's tests: the send is answered unavailable.
        a.send(new JsonObject()
                .put("type", "send")
                .put("ref", "s1")
                .put("conversationId", UUID.randomUUID().toString())
                .put("clientMessageId", UUID.randomUUID().toString())
                .put("content", "hello"));
        assertThat(a.next().getString("code")).isEqualTo("unavailable");

        // One message to a conversation of both: two sockets, two deliveries measured.
        UUID conversation = UUID.randomUUID();
        MessageData message = new MessageData(
                UUID.randomUUID(),
                conversation,
                1,
                UUID.randomUUID().toString(),
                alice,
                io.parley.events.Role.CLIENT,
                "Alice",
                "text",
                "hi",
                List.of(),
                Instant.now(),
                null,
                null);
        MessageEvent event = MessageEvent.of(
                MessageEvent.CREATED,
                io.parley.events.ConversationKind.DIRECT,
                List.of(alice, bob),
                message,
                Instant.now());
        try (KafkaProducer<String, Event> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka),
                new StringSerializer(),
                new EventSerializer())) {
            producer.send(new ProducerRecord<>(Topics.MESSAGES, event.key(), event))
                    .get(10, TimeUnit.SECONDS);
        }
        a.next(WsClient.type("message.created"));
        b.next(WsClient.type("message.created"));

        a.socket.close((short) 1000).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            MetricsScrape after = MetricsScrape.of(metrics);
            assertThat(delta(before, after, "parley_delivery_latency_seconds_count"))
                    .isEqualTo(2);
            assertThat(after.value("parley_delivery_latency_seconds_sum")).isGreaterThanOrEqualTo(0);
            // the event's age at the gateway's handler: once per event, however many sockets it reached
            assertThat(delta(before, after, "parley_delivery_event_age_seconds_count"))
                    .isEqualTo(1);
            assertThat(after.has("parley_delivery_latency_seconds_bucket{le=\"0.1\"}"))
                    .isTrue();
            assertThat(delta(before, after, "parley_ws_frames_received_total{type=\"ping\"}"))
                    .isEqualTo(1);
            assertThat(delta(before, after, "parley_ws_frames_received_total{type=\"invalid\"}"))
                    .isEqualTo(1);
            assertThat(delta(before, after, "parley_ws_frames_received_total{type=\"send\"}"))
                    .isEqualTo(1);
            assertThat(delta(before, after, "parley_ws_frames_sent_total{type=\"welcome\"}"))
                    .isEqualTo(2);
            assertThat(delta(before, after, "parley_ws_frames_sent_total{type=\"pong\"}"))
                    .isEqualTo(1);
            assertThat(delta(before, after, "parley_ws_frames_sent_total{type=\"message.created\"}"))
                    .isEqualTo(2);
            assertThat(delta(before, after, "parley_ws_sends_total{outcome=\"unavailable\"}"))
                    .isEqualTo(1);
            assertThat(delta(before, after, "parley_ws_closes_total{code=\"1000\"}"))
                    .isEqualTo(1);
            assertThat(after.has("parley_ws_outbound_queued_bytes")).isTrue();
            assertThat(after.has("parley_ws_outbound_full_connections")).isTrue();
            assertThat(after.has("parley_ws_slow_reader_closes_total")).isTrue();
            // Kafka's consumer metrics, lag included, through Micrometer's Kafka binder.
            assertThat(after.names()).contains("kafka_consumer_fetch_manager_records_lag_max");
        });
        b.socket.close();
        client.close();
    }

    private static double delta(MetricsScrape before, MetricsScrape after, String series) {
        return after.value(series) - before.value(series);
    }

    private static int status(URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}

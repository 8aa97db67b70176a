package io.parley.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.parley.events.Event;
import io.parley.events.EventSerializer;
import io.parley.events.MessageData;
import io.parley.events.MessageEvent;
import io.parley.events.Topics;
import io.parley.infra.InfraTestResource;
import io.parley.infra.TestKeys;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.URI;
import java.nio.charset.StandardCharsets;
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
 * The gateway in a message's trace (issue 18), with the OpenTelemetry SDK on (this profile only) and spans kept in
 * memory: the delivery of a message event whose Kafka record carries a {@code traceparent} header (as the
 * message-service's outbox relay writes it) is recorded as a consumer span of that same trace.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
@TestProfile(TracingTest.TracesOn.class)
class TracingTest {

    /** Where this test's stand-in message-service listens (started by the send test). */
    static final int MESSAGE_SERVICE_PORT = io.parley.infra.FreePort.find();

    /** The SDK on, every trace sampled, finished spans handed to the exporter quickly. */
    public static class TracesOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.otel.sdk.disabled", "false",
                    "parley.otel.sample-ratio", "1.0",
                    "quarkus.otel.bsp.schedule.delay", "50ms",
                    "parley.message.url", "http://127.0.0.1:" + MESSAGE_SERVICE_PORT);
        }
    }

    /** The exporter the SDK hands finished spans to (Quarkus uses every {@code SpanExporter} bean). */
    @Singleton
    static class Exporter {
        @Produces
        @Singleton
        InMemorySpanExporter inMemorySpanExporter() {
            return InMemorySpanExporter.create();
        }
    }

    @Inject
    InMemorySpanExporter spans;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @TestHTTPResource("/ws")
    URI ws;

    @TestHTTPResource(value = "/health/ready", management = true)
    URI ready;

    @Inject
    Vertx vertx;

    @Test
    void aMessageDeliveredToASocketIsAConsumerSpanOfTheSendersTrace() throws Exception {
        String alice = "traced-a-" + UUID.randomUUID();
        String bob = "traced-b-" + UUID.randomUUID();
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> http.send(
                                        java.net.http.HttpRequest.newBuilder(ready)
                                                .build(),
                                        java.net.http.HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200);
        WebSocketClient client = vertx.createWebSocketClient();
        WsClient b = new WsClient(client, ws, TestKeys.token(bob, "client"));

        String traceId = "4bf92f3577b34da6a3ce929d0e0e" + String.format("%04x", (int) (Math.random() * 0xffff));
        String parentSpan = "00f067aa0ba902b7";
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
            ProducerRecord<String, Event> record = new ProducerRecord<>(Topics.MESSAGES, event.key(), event);
            record.headers()
                    .add("traceparent", ("00-" + traceId + "-" + parentSpan + "-01").getBytes(StandardCharsets.UTF_8));
            producer.send(record).get(10, TimeUnit.SECONDS);
        }
        b.next(WsClient.type("message.created"));

        SpanData delivery = await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> spans.getFinishedSpanItems().stream()
                                .filter(span -> span.getKind() == SpanKind.CONSUMER)
                                .filter(span -> span.getTraceId().equals(traceId))
                                .findFirst()
                                .orElse(null),
                        span -> span != null);
        assertThat(delivery.getParentSpanId()).isEqualTo(parentSpan);
        assertThat(delivery.getName()).contains(Topics.MESSAGES);
        b.socket.close((short) 1000).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aSendFramesTraceBeginsAtTheGatewayAndGoesOnInTheMessageServicesRequest() throws Exception {
        awaitReady();
        String alice = "traced-s-" + UUID.randomUUID();
        UUID conversation = UUID.randomUUID();
        java.util.concurrent.CompletableFuture<String> traceparent = new java.util.concurrent.CompletableFuture<>();
        io.vertx.core.http.HttpServer messageService = vertx.createHttpServer()
                .requestHandler(request -> {
                    traceparent.complete(request.getHeader("traceparent"));
                    request.response()
                            .setStatusCode(201)
                            .putHeader("Content-Type", "application/json")
                            .end(new io.vertx.core.json.JsonObject()
                                    .put("id", UUID.randomUUID().toString())
                                    .put("conversationId", conversation.toString())
                                    .put("seq", 1)
                                    .put("senderId", alice)
                                    .put("content", "traced")
                                    .encode());
                })
                .listen(MESSAGE_SERVICE_PORT, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        try {
            WsClient a = new WsClient(vertx.createWebSocketClient(), ws, TestKeys.token(alice, "client"));
            a.send(new io.vertx.core.json.JsonObject()
                    .put("type", "send")
                    .put("ref", "t1")
                    .put("conversationId", conversation.toString())
                    .put("clientMessageId", UUID.randomUUID().toString())
                    .put("content", "traced"));
            assertThat(a.next(WsClient.type("ack")).getString("ref")).isEqualTo("t1");

            String header = traceparent.get(10, TimeUnit.SECONDS);
            assertThat(header)
                    .as("the message-service's request carries the trace")
                    .matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
            String traceId = header.substring(3, 35);
            SpanData send = await().atMost(Duration.ofSeconds(20))
                    .until(
                            () -> spans.getFinishedSpanItems().stream()
                                    .filter(span -> span.getName().equals("WebSocket send"))
                                    .filter(span -> span.getTraceId().equals(traceId))
                                    .findFirst()
                                    .orElse(null),
                            span -> span != null);
            assertThat(send.getKind()).isEqualTo(SpanKind.SERVER);
            a.socket
                    .close((short) 1000)
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
        } finally {
            messageService.close();
        }
    }

    private void awaitReady() {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> http.send(
                                        java.net.http.HttpRequest.newBuilder(ready)
                                                .build(),
                                        java.net.http.HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200);
    }
}

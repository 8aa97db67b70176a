package io.parley.message;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.parley.events.ConversationCreated;
import io.parley.events.ConversationKind;
import io.parley.events.Event;
import io.parley.events.EventSerializer;
import io.parley.events.MessageEvent;
import io.parley.events.Topics;
import io.parley.infra.EventTap;
import io.parley.infra.InfraTestResource;
import io.parley.infra.TestKeys;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Traces with the OpenTelemetry SDK on (this profile only; every other test runs with it off, the default), spans
 * kept in memory instead of exported: a send's trace crosses the outbox into the Kafka record's {@code traceparent}
 * header, and a consumed record's header makes the consumer's span part of the sender's trace.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
@TestProfile(TracingTest.TracesOn.class)
class TracingTest {

    /** The SDK on, every trace sampled, finished spans handed to the exporter quickly. */
    public static class TracesOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.otel.sdk.disabled", "false",
                    "parley.otel.sample-ratio", "1.0",
                    "quarkus.otel.bsp.schedule.delay", "50ms");
        }
    }

    /**
     * The exporter the SDK hands finished spans to (Quarkus uses every {@code SpanExporter} bean); with the SDK off,
     * as in the module's other tests, it never receives any.
     */
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

    @BeforeEach
    void forgetEarlierSpans() {
        spans.reset();
    }

    @Test
    void aSendsTraceGoesFromItsRequestThroughTheOutboxIntoTheKafkaRecord() {
        String alice = "alice-" + UUID.randomUUID();
        UUID conversation = Conversations.create(kafka, "direct", alice, List.of(alice, "bob-" + UUID.randomUUID()));
        try (EventTap tap = EventTap.open(kafka, Topics.MESSAGES)) {
            given().auth()
                    .oauth2(TestKeys.token(alice, "client"))
                    .contentType(ContentType.JSON)
                    .body(Map.of("clientMessageId", UUID.randomUUID().toString(), "content", "traced"))
                    .post("/api/conversations/" + conversation + "/messages")
                    .then()
                    .statusCode(201);

            SpanData request = await().atMost(Duration.ofSeconds(20))
                    .until(
                            () -> spans.getFinishedSpanItems().stream()
                                    .filter(span -> span.getKind() == SpanKind.SERVER)
                                    .filter(span -> span.getName().startsWith("POST")
                                            && span.getName().endsWith("/messages"))
                                    .findFirst()
                                    .orElse(null),
                            span -> span != null);

            ConsumerRecord<String, Event> record = await().atMost(Duration.ofSeconds(20))
                    .until(
                            () -> tap.records(Duration.ofMillis(200)).stream()
                                    .filter(r -> r.value() instanceof MessageEvent e
                                            && e.conversationId().equals(conversation))
                                    .findFirst()
                                    .orElse(null),
                            r -> r != null);
            Header traceparent = record.headers().lastHeader("traceparent");
            assertThat(traceparent)
                    .as("the published record carries the send's trace context")
                    .isNotNull();
            String[] parts = new String(traceparent.value(), StandardCharsets.US_ASCII).split("-");
            assertThat(parts).hasSize(4);
            assertThat(parts[1]).as("trace id").isEqualTo(request.getTraceId());
            assertThat(parts[3]).as("sampled").isEqualTo("01");
            assertThat(spans.getFinishedSpanItems())
                    .as("the send's statement is a client span in the request's trace")
                    .anySatisfy(span -> {
                        assertThat(span.getKind()).isEqualTo(SpanKind.CLIENT);
                        assertThat(span.getTraceId()).isEqualTo(request.getTraceId());
                        assertThat(span.getAttributes().asMap().keySet())
                                .anySatisfy(key -> assertThat(key.getKey()).startsWith("db."));
                    });
            assertThat(spans.getFinishedSpanItems())
                    .as("the request's span and the span the outbox row was written under are one trace's")
                    .anySatisfy(span -> {
                        assertThat(span.getSpanId()).isEqualTo(parts[2]);
                        assertThat(span.getTraceId()).isEqualTo(request.getTraceId());
                    });
        }
    }

    @Test
    void aConsumedRecordsSpanContinuesTheTraceInItsHeader() {
        String traceId = UUID.randomUUID().toString().replace("-", "");
        String parentSpanId = traceId.substring(0, 16);
        UUID id = UUID.randomUUID();
        Event created = ConversationCreated.of(
                id, ConversationKind.DIRECT, null, "carol", List.of("carol", "dave"), Instant.now());
        ProducerRecord<String, Event> record = new ProducerRecord<>(Topics.CONVERSATIONS, created.key(), created);
        record.headers()
                .add("traceparent", ("00-" + traceId + "-" + parentSpanId + "-01").getBytes(StandardCharsets.US_ASCII));
        try (KafkaProducer<String, Event> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(),
                new EventSerializer())) {
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(spans.getFinishedSpanItems())
                        .as("the consumer's span is a child of the producer's, in its trace")
                        .anySatisfy(span -> {
                            assertThat(span.getKind()).isEqualTo(SpanKind.CONSUMER);
                            assertThat(span.getTraceId()).isEqualTo(traceId);
                            assertThat(span.getParentSpanId()).isEqualTo(parentSpanId);
                        }));
    }
}

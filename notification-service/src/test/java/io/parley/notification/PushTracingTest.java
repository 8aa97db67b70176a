package io.parley.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.parley.events.Event;
import io.parley.events.EventSerializer;
import io.parley.events.MessageEvent;
import io.parley.events.Topics;
import io.parley.infra.InfraTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Traces and JSON logs on (this profile only; the module's other tests run with both off, the default), spans kept in
 * memory instead of exported: the push sent for a message belongs to the message's trace, and the log line the
 * dispatcher writes about it carries that trace's ids in the JSON line's {@code mdc}.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FcmStandIn.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ApnsStandIn.class, scope = TestResourceScope.GLOBAL)
@TestProfile(PushTracingTest.TracesAndJsonLogsOn.class)
class PushTracingTest {

    /** Where this profile's JSON log lines go, besides the console. */
    static final Path LOG = Path.of("target", "push-tracing-" + UUID.randomUUID() + ".log");

    /** The SDK on, every trace sampled, finished spans handed over quickly; JSON logs (PARLEY_LOG_JSON) to a file. */
    public static class TracesAndJsonLogsOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.otel.sdk.disabled", "false",
                    "parley.otel.sample-ratio", "1.0",
                    "quarkus.otel.bsp.schedule.delay", "50ms",
                    "parley.log.json", "true",
                    "quarkus.log.file.enabled", "true",
                    "quarkus.log.file.path", LOG.toString(),
                    "quarkus.log.file.json.enabled", "true");
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

    PushEndpoint push;

    @BeforeEach
    void open() throws Exception {
        spans.reset();
        push = new PushEndpoint();
    }

    @AfterEach
    void close() {
        push.close();
    }

    @Test
    void eachPushIsASpanOfTheMessagesTraceAndItsLogLineCarriesTheTraceIds() throws Exception {
        String alice = "alice-" + UUID.randomUUID();
        String bob = "bob-" + UUID.randomUUID();
        UUID conversation = UUID.randomUUID();
        String phone = "phone-" + UUID.randomUUID();
        String old = "old-" + UUID.randomUUID();
        PushEndpoint.Device phoneDevice = push.device(phone);
        subscribe(bob, phoneDevice);
        String oldId = subscribe(bob, push.device(old));
        push.answer(old, 410);

        // the message as the message-service's outbox relay publishes it: with its send's trace context
        String traceId = UUID.randomUUID().toString().replace("-", "");
        String sendSpanId = traceId.substring(0, 16);
        String content = "secret-" + UUID.randomUUID();
        MessageEvent message = Alerts.message(conversation, 1, alice, List.of(alice, bob), content);
        publish(message, "00-" + traceId + "-" + sendSpanId + "-01");

        await().atMost(Duration.ofSeconds(15)).until(() -> push.to(phone).size() == 1);
        List<SpanData> pushes = await().atMost(Duration.ofSeconds(15))
                .until(
                        () -> spans.getFinishedSpanItems().stream()
                                .filter(span -> span.getName().equals("push send"))
                                .filter(span -> span.getTraceId().equals(traceId))
                                .toList(),
                        found -> found.size() == 2);
        SpanData consumer = spans.getFinishedSpanItems().stream()
                .filter(span -> span.getKind() == SpanKind.CONSUMER)
                .filter(span -> span.getTraceId().equals(traceId)
                        && span.getParentSpanId().equals(sendSpanId))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no consumer span for the message in its trace"));
        assertThat(pushes)
                .as("one client span per device, children of the span the alert was stored under")
                .allSatisfy(span -> {
                    assertThat(span.getKind()).isEqualTo(SpanKind.CLIENT);
                    assertThat(span.getParentSpanId()).isEqualTo(consumer.getSpanId());
                    assertThat(span.getAttributes().asMap())
                            .containsEntry(AttributeKey.stringKey("parley.push.provider"), "webpush");
                    assertThat(span.getAttributes().asMap().values())
                            .as("no endpoint, device, user or content in the attributes")
                            .noneSatisfy(value -> assertThat(String.valueOf(value))
                                    .containsAnyOf(phone, old, bob, content, phoneDevice.endpoint()));
                });
        assertThat(pushes)
                .extracting(span -> span.getAttributes().get(AttributeKey.stringKey("parley.push.outcome")))
                .containsExactlyInAnyOrder("delivered", "gone");
        SpanData gone = pushes.stream()
                .filter(span -> "gone".equals(span.getAttributes().get(AttributeKey.stringKey("parley.push.outcome"))))
                .findFirst()
                .orElseThrow();

        // the dispatcher's line about the gone device, written inside its push span, as a JSON line
        JsonObject line = await().atMost(Duration.ofSeconds(10))
                .until(() -> logLine(oldId), Optional::isPresent)
                .orElseThrow();
        JsonObject mdc = line.getJsonObject("mdc");
        assertThat(mdc).as("the JSON line's mdc object").isNotNull();
        assertThat(mdc.getString("traceId")).isEqualTo(traceId);
        assertThat(mdc.getString("spanId")).isEqualTo(gone.getSpanId());
    }

    /** The first JSON log line that mentions {@code text}, if any yet. */
    private static Optional<JsonObject> logLine(String text) throws Exception {
        if (!Files.exists(LOG)) {
            return Optional.empty();
        }
        return Files.readAllLines(LOG, StandardCharsets.UTF_8).stream()
                .filter(line -> line.startsWith("{") && line.contains(text))
                .map(JsonObject::new)
                .findFirst();
    }

    private void publish(Event event, String traceparent) {
        ProducerRecord<String, Event> record = new ProducerRecord<>(Topics.MESSAGES, event.key(), event);
        record.headers().add("traceparent", traceparent.getBytes(StandardCharsets.US_ASCII));
        try (KafkaProducer<String, Event> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(),
                new EventSerializer())) {
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String subscribe(String user, PushEndpoint.Device device) {
        return Alerts.subscribe(
                user,
                Map.of(
                        "kind",
                        "webpush",
                        "endpoint",
                        device.endpoint(),
                        "keys",
                        Map.of("p256dh", device.p256dh(), "auth", device.auth())));
    }
}

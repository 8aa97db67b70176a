package io.parley.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.parley.gateway.delivery.Session;
import io.parley.gateway.delivery.SessionRegistry;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The gateway's own metrics ({@code parley_*} on the management interface's {@code /q/metrics}; docs/operations.md
 * says what each means). Every tag takes its values from a fixed list (frame types, error codes, close codes), never
 * from users or conversations: a value outside the list is counted as {@code other}. The code that does the work
 * calls one method here per event; nothing else in the gateway knows Micrometer.
 */
@Startup
@Singleton
public class GatewayMetrics {

    /** Frame types a client may send, and {@code invalid} for a frame that could not be read. */
    static final List<String> CLIENT_FRAMES = List.of("ping", "send", "auth", "typing", "read", "resume", "invalid");
    /** Frame types the server writes (docs/api.md). */
    static final List<String> SERVER_FRAMES = List.of(
            "welcome",
            "pong",
            "ack",
            "error",
            "message.created",
            "message.updated",
            "message.deleted",
            "read",
            "typing",
            "presence",
            "unread",
            "conversation.created",
            "participant.added",
            "participant.removed",
            "authenticated",
            "resumed");
    /** How a {@code send} frame ended: {@code ack}, or the code of the error frame that answered it. */
    static final List<String> SEND_OUTCOMES = List.of(
            "ack",
            "invalid",
            "unauthorized",
            "forbidden",
            "not_found",
            "conflict",
            "too_large",
            "rate_limited",
            "unavailable");
    /**
     * Close codes counted on their own: normal (1000), going away and the gateway's silence close (1001), no close
     * frame (1006), policy and expired token (1008), frame too big (1009), server error (1011), too slow (1013).
     */
    static final List<String> CLOSE_CODES = List.of("1000", "1001", "1005", "1006", "1008", "1009", "1011", "1013");

    static final String OTHER = "other";

    /** Delivery latency buckets, in seconds: from a few milliseconds (same machine) to seconds (a backlog). */
    private static final Duration[] LATENCY_BUCKETS = {
        Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)
    };

    private final Timer deliveryLatency;
    private final Timer eventAge;
    private final Map<String, Counter> framesReceived;
    private final Map<String, Counter> framesSent;
    private final Map<String, Counter> sends;
    private final Map<String, Counter> closes;
    private final Counter slowReaderCloses;
    private final DistributionSummary resumeReplayed;

    public GatewayMetrics(MeterRegistry registry, SessionRegistry sessions) {
        deliveryLatency = latency(
                registry,
                "parley.delivery.latency",
                "From a message's commit (its event's occurredAt) to its message.created frame written on a socket, "
                        + "once per socket; live deliveries only, not replays");
        eventAge = latency(
                registry,
                "parley.delivery.event.age",
                "From a message's commit (its event's occurredAt) to this gateway's handling of its message.created "
                        + "event, once per event: the outbox relay's and Kafka's part of the delivery latency");
        framesReceived = counters(
                CLIENT_FRAMES,
                type -> Counter.builder("parley.ws.frames.received")
                        .description("WebSocket frames received from clients, by type")
                        .tag("type", type)
                        .register(registry));
        framesSent = counters(
                SERVER_FRAMES,
                type -> Counter.builder("parley.ws.frames.sent")
                        .description("WebSocket frames written to clients, by type (once per socket)")
                        .tag("type", type)
                        .register(registry));
        sends = counters(
                SEND_OUTCOMES,
                outcome -> Counter.builder("parley.ws.sends")
                        .description(
                                "send frames by outcome: ack, or the error code that answered them (rate_limited: over "
                                        + "the user's allowance)")
                        .tag("outcome", outcome)
                        .register(registry));
        closes = counters(
                CLOSE_CODES,
                code -> Counter.builder("parley.ws.closes")
                        .description("WebSocket connections closed, by close code (1006: ended without a close frame)")
                        .tag("code", code)
                        .register(registry));
        slowReaderCloses = Counter.builder("parley.ws.slow.reader.closes")
                .description("Connections closed (1013) because their client left the outbound queue full too long")
                .register(registry);
        resumeReplayed = DistributionSummary.builder("parley.ws.resume.replayed")
                .baseUnit("messages")
                .description("Messages replayed per resume frame (count: resumes; sum: messages replayed)")
                .serviceLevelObjectives(1, 10, 100, 1000, 10000)
                .register(registry);
        Gauge.builder("parley.ws.connections", sessions, SessionRegistry::count)
                .description("Open WebSocket connections on this instance")
                .register(registry);
        Gauge.builder(
                        "parley.ws.outbound.queued",
                        sessions,
                        s -> s.all().mapToLong(Session::queuedBytes).sum())
                .baseUnit("bytes")
                .description("Bytes written to sockets but not yet taken by the network, over every connection")
                .register(registry);
        Gauge.builder(
                        "parley.ws.outbound.full.connections",
                        sessions,
                        s -> s.all().filter(Session::outboundFull).count())
                .description("Connections whose outbound queue is full now (their client is not reading)")
                .register(registry);
    }

    /** A timer of a latency from a message's commit, with {@link #LATENCY_BUCKETS}. */
    private static Timer latency(MeterRegistry registry, String name, String description) {
        return Timer.builder(name)
                .description(description)
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
    }

    private static Map<String, Counter> counters(List<String> values, Function<String, Counter> make) {
        Map<String, Counter> counters = new ConcurrentHashMap<>();
        for (String value : values) {
            counters.put(value, make.apply(value));
        }
        counters.put(OTHER, make.apply(OTHER));
        return Map.copyOf(counters);
    }

    private static void increment(Map<String, Counter> counters, String value) {
        Counter counter = value == null ? null : counters.get(value);
        (counter == null ? counters.get(OTHER) : counter).increment();
    }

    /**
     * A {@code message.created} frame was written on a socket.
     *
     * @param occurredAtMillis the event's {@code occurredAt} in epoch milliseconds (the message's commit, by the
     *                         message-service's clock); 0 or less for a frame that is not a live delivery (not measured)
     */
    public void delivered(long occurredAtMillis) {
        if (occurredAtMillis > 0) {
            deliveryLatency.record(Math.max(0, System.currentTimeMillis() - occurredAtMillis), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * A {@code message.created} event reached this gateway's delivery.
     *
     * @param occurredAtMillis the event's {@code occurredAt} in epoch milliseconds; 0 or less: not measured
     */
    public void eventHandled(long occurredAtMillis) {
        if (occurredAtMillis > 0) {
            eventAge.record(Math.max(0, System.currentTimeMillis() - occurredAtMillis), TimeUnit.MILLISECONDS);
        }
    }

    /** A client's frame arrived: {@code type} as the client named it, or null when it could not be read. */
    public void frameReceived(String type) {
        increment(framesReceived, type == null ? "invalid" : type);
    }

    /** A frame was written (queued) on a socket; {@code encoded} is its JSON text, whose type comes first. */
    public void frameSent(String encoded) {
        increment(framesSent, typeOf(encoded));
    }

    /** A {@code send} frame was answered: {@code ack}, or the code of its error frame. */
    public void sendAnswered(String outcome) {
        increment(sends, outcome);
    }

    /** A connection closed with {@code code} (null: without a close frame, counted as 1006). */
    public void closed(Short code) {
        increment(closes, code == null ? "1006" : String.valueOf(code));
    }

    /** A connection was closed because its client stopped reading. */
    public void slowReaderClosed() {
        slowReaderCloses.increment();
    }

    /** A resume frame's replay ended, having sent up to {@code messages} messages from the history. */
    public void resumed(long messages) {
        resumeReplayed.record(messages);
    }

    private static final String TYPE_PREFIX = "{\"type\":\"";

    /**
     * The type of an encoded server frame: {@link io.parley.gateway.protocol.FrameCodec#encode} writes it first. Null
     * when the text does not start with it.
     */
    static String typeOf(String encoded) {
        if (encoded == null || !encoded.startsWith(TYPE_PREFIX)) {
            return null;
        }
        int end = encoded.indexOf('"', TYPE_PREFIX.length());
        return end < 0 ? null : encoded.substring(TYPE_PREFIX.length(), end);
    }
}

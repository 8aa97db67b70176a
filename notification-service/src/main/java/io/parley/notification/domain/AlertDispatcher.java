package io.parley.notification.domain;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.parley.events.PreviewMode;
import io.parley.notification.client.ApnsSender;
import io.parley.notification.client.FcmSender;
import io.parley.notification.client.PushOutcome;
import io.parley.notification.client.WebPushSender;
import io.parley.notification.store.DeliveryStore;
import io.parley.notification.store.DeliveryStore.Due;
import io.parley.notification.store.DeliveryStore.Leased;
import io.parley.notification.store.DeliveryStore.NewDelivery;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends the alerts. Every tick ({@code parley.push.tick}): pending alerts whose grace delay is over become one
 * delivery per device of their user (in the transaction that removes them, so an alert is made once, and none for a
 * user who is online now or muted the conversation); then due deliveries are leased and sent, each on its own, so a
 * push service that is slow or down holds back nothing but its own deliveries. Outcomes: taken, deleted; device gone
 * (404/410), subscription deleted; 429/5xx/unreachable, retried with exponential backoff or the service's
 * Retry-After, up to {@link #MAX_ATTEMPTS}.
 *
 * <p>Each attempt to send a delivery is a span (kind client, named {@value #SPAN_NAME}) in the trace of the message
 * the alert is about: its parent is the trace context the pending alert kept from its latest message's event (when
 * several messages are collapsed into one alert, the latest, whose preview the alert shows; the earlier ones' traces
 * end at their consumer spans), or it begins a trace of its own when there is none. Its attributes are bounded: the
 * provider ({@code parley.push.provider}: webpush, fcm, apns), the outcome ({@code parley.push.outcome}: delivered,
 * gone, retry, given_up, refused, not_configured, as the {@code parley_push_sends_total} metric counts them), the
 * attempt and the provider's HTTP status; never a token, an endpoint or the alert's content. The provider's request
 * itself carries no trace header (the span is not current while it is sent); the outcome's log line and statement
 * are written inside the span.
 */
@ApplicationScoped
public class AlertDispatcher {

    static final int MAX_ATTEMPTS = 6;
    private static final int CLAIM_BATCH = 200;
    private static final int MAX_IN_FLIGHT = 256;
    /** A leased delivery is sent again after this if its sender vanished (a crash) before recording the outcome. */
    private static final Duration LEASE = Duration.ofSeconds(60);

    static final String SPAN_NAME = "push send";
    static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("parley.push.provider");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("parley.push.outcome");
    static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("parley.push.attempt");
    static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");

    private final Pool pool;
    private final DeliveryStore store;
    private final WebPushSender webPush;
    private final FcmSender fcm;
    private final ApnsSender apns;
    private final PreviewMode preview;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final NotificationMetrics metrics;
    private final Tracer tracer;

    public AlertDispatcher(
            Pool pool,
            DeliveryStore store,
            WebPushSender webPush,
            FcmSender fcm,
            ApnsSender apns,
            NotificationConfig.Push config,
            NotificationMetrics metrics,
            Tracer tracer) {
        this.metrics = metrics;
        this.tracer = tracer;
        this.pool = pool;
        this.store = store;
        this.webPush = webPush;
        this.fcm = fcm;
        this.apns = apns;
        this.preview = PreviewMode.ofSetting(config.preview());
    }

    /** Every tick, on the event loop (a Uni-returning method): starts a round unless one is running. */
    @Scheduled(
            skipExecutionIf = Scheduled.ApplicationNotRunning.class,
            every = "${parley.push.tick}",
            delayed = "${parley.push.tick}")
    Uni<Void> scheduled() {
        tick();
        return Uni.createFrom().voidItem();
    }

    /** One round: makes the due deliveries, then sends what is due; does nothing while a round is running. */
    void tick() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        long started = System.nanoTime();
        makeDeliveries()
                .chain(this::sendDue)
                .onTermination()
                .invoke(() -> metrics.round(System.nanoTime() - started))
                .subscribe()
                .with(done -> running.set(false), failure -> {
                    running.set(false);
                    Log.warnf("alerts not dispatched this time: %s", failure.toString());
                });
    }

    /** Turns due pending alerts into deliveries, a batch per transaction, until none is due. */
    private Uni<Void> makeDeliveries() {
        return pool.withTransaction(tx -> store.claimDue(tx, CLAIM_BATCH).chain(due -> {
                    List<Due> wanted =
                            due.stream().filter(d -> !d.online() && !d.muted()).toList();
                    if (wanted.isEmpty()) {
                        return Uni.createFrom().item(due.size());
                    }
                    return store.subscriptions(
                                    tx,
                                    wanted.stream().map(Due::userId).distinct().toList())
                            .chain(devices -> store.insert(tx, deliveries(wanted, devices)))
                            .replaceWith(due.size());
                }))
                .chain(claimed -> claimed == CLAIM_BATCH
                        ? makeDeliveries()
                        : Uni.createFrom().voidItem());
    }

    private List<NewDelivery> deliveries(List<Due> due, Map<String, List<UUID>> devices) {
        List<NewDelivery> deliveries = new ArrayList<>();
        for (Due alert : due) {
            String payload = payload(alert);
            for (UUID subscription : devices.getOrDefault(alert.userId(), List.of())) {
                deliveries.add(new NewDelivery(
                        subscription, alert.conversationId(), alert.lastSeq(), payload, alert.traceparent()));
            }
        }
        return deliveries;
    }

    /**
     * The alert as the device shows it, one per conversation: "3 new messages" from the last sender, the last message
     * itself with {@code preview=full} (the count alone once it was deleted), nothing about the sender or the content
     * with {@code preview=none} (see {@link AlertText}).
     */
    String payload(Due alert) {
        return AlertText.payload(
                        preview,
                        alert.conversationId(),
                        alert.messageCount(),
                        alert.lastSeq(),
                        alert.badge(),
                        alert.lastSenderName(),
                        alert.lastPreview())
                .encode();
    }

    /** Leases what is due, as much as the in-flight limit allows, and sends each on its own. */
    private Uni<Void> sendDue() {
        int room = MAX_IN_FLIGHT - inFlight.get();
        if (room <= 0) {
            return Uni.createFrom().voidItem();
        }
        return store.lease(pool, room, LEASE).chain(leased -> {
            leased.forEach(this::send);
            // a full lease means more is due: go on without waiting for the next tick
            return leased.size() == room ? sendDue() : Uni.createFrom().voidItem();
        });
    }

    private void send(Leased delivery) {
        inFlight.incrementAndGet();
        PushSubscription device = delivery.subscription();
        // one alert per conversation on each device: Web Push Topic, FCM collapse key, apns-collapse-id
        String collapseKey = collapseKey(delivery.conversationId());
        Span span = tracer.spanBuilder(SPAN_NAME)
                .setParent(parent(delivery.traceparent()))
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute(PROVIDER, device.kind().wire())
                .setAttribute(ATTEMPT, (long) delivery.attempts())
                .startSpan();
        long started = System.nanoTime();
        Uni<PushOutcome> sent = switch (device.kind()) {
            case WEBPUSH -> webPush.send(device, delivery.payload(), collapseKey);
            case FCM -> fcm.send(device, new JsonObject(delivery.payload()), collapseKey);
            case APNS -> apns.send(device, new JsonObject(delivery.payload()), collapseKey);
        };
        sent.chain(outcome -> {
                    boolean givenUp = outcome.kind() == PushOutcome.Kind.RETRY
                            && retryIn(outcome, delivery.attempts()).isEmpty();
                    metrics.pushed(device.kind().wire(), outcome, givenUp, System.nanoTime() - started);
                    describe(span, outcome, givenUp);
                    try (Scope ignored = span.makeCurrent()) {
                        return record(delivery, outcome);
                    }
                })
                .onTermination()
                .invoke((done, failure, cancelled) -> {
                    if (failure != null) {
                        span.setStatus(StatusCode.ERROR);
                    }
                    span.end();
                    if (inFlight.decrementAndGet() == MAX_IN_FLIGHT / 2) {
                        tick(); // room again: more may be due before the next tick
                    }
                })
                .subscribe()
                .with(
                        done -> {},
                        failure -> Log.warnf(
                                "outcome of delivery %d not recorded (it is sent again once its lease ends): %s",
                                delivery.id(), failure.toString()));
    }

    /** The trace context a W3C {@code traceparent} names, or the root context (a new trace) for null or garbage. */
    static Context parent(String traceparent) {
        if (traceparent == null) {
            return Context.root();
        }
        return W3CTraceContextPropagator.getInstance().extract(Context.root(), traceparent, TRACEPARENT);
    }

    /** Reads a lone traceparent value as the carrier of the W3C propagator. */
    private static final TextMapGetter<String> TRACEPARENT = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return List.of("traceparent");
        }

        @Override
        public String get(String carrier, String key) {
            return "traceparent".equals(key) ? carrier : null;
        }
    };

    /** The outcome on the span: bounded attributes only, and an error status when the alert did not get through. */
    private static void describe(Span span, PushOutcome outcome, boolean givenUp) {
        span.setAttribute(OUTCOME, givenUp ? "given_up" : outcome.kind().name().toLowerCase(Locale.ROOT));
        if (outcome.status() > 0) {
            span.setAttribute(STATUS, (long) outcome.status());
        }
        if (givenUp || outcome.kind() == PushOutcome.Kind.RETRY || outcome.kind() == PushOutcome.Kind.REFUSED) {
            span.setStatus(StatusCode.ERROR);
        }
    }

    private Uni<Void> record(Leased delivery, PushOutcome outcome) {
        return switch (outcome.kind()) {
            case DELIVERED -> store.done(pool, delivery.id());
            case GONE -> {
                Log.infof(
                        "push service answered %d %s for subscription %s: deleted",
                        outcome.status(),
                        outcome.detail() == null ? "" : outcome.detail(),
                        delivery.subscription().id());
                yield store.forget(pool, delivery.subscription().id());
            }
            case RETRY -> {
                Optional<Duration> wait = retryIn(outcome, delivery.attempts());
                if (wait.isEmpty()) {
                    Log.warnf(
                            "delivery %d given up after %d attempts (last: %d %s)",
                            delivery.id(), delivery.attempts(), outcome.status(), outcome.detail());
                    yield store.done(pool, delivery.id());
                }
                Log.debugf(
                        "delivery %d to be retried in %s: %d %s",
                        delivery.id(), wait.get(), outcome.status(), outcome.detail());
                yield store.retryAt(pool, delivery.id(), Instant.now().plus(wait.get()));
            }
            case REFUSED -> {
                Log.warnf(
                        "push service refused delivery %d with %d %s: dropped",
                        delivery.id(), outcome.status(), outcome.detail() == null ? "" : outcome.detail());
                yield store.done(pool, delivery.id());
            }
            case NOT_CONFIGURED -> {
                Log.debugf(
                        "no sender configured for %s subscriptions: delivery %d dropped",
                        delivery.subscription().kind().wire(), delivery.id());
                yield store.done(pool, delivery.id());
            }
        };
    }

    /**
     * The key that collapses a conversation's alerts on a device (Web Push Topic, FCM collapse key,
     * apns-collapse-id): the id without dashes, 32 characters of the URL-safe base64 alphabet (RFC 8030's limit).
     */
    static String collapseKey(UUID conversationId) {
        return conversationId.toString().replace("-", "");
    }

    /**
     * When a delivery that answered RETRY is sent again: after the service's Retry-After, or after {@link #backoff};
     * empty once it was tried {@link #MAX_ATTEMPTS} times (it is given up).
     *
     * @param attempts how often it was sent, this time included
     */
    static Optional<Duration> retryIn(PushOutcome outcome, int attempts) {
        if (attempts >= MAX_ATTEMPTS) {
            return Optional.empty();
        }
        return Optional.of(outcome.retryAfter().orElse(backoff(attempts)));
    }

    /** 1 s, 2 s, 4 s... up to 5 minutes, with up to a quarter more at random so retries spread out. */
    static Duration backoff(int attempts) {
        long base = Math.min(300_000L, 1_000L << Math.min(attempts - 1, 20));
        return Duration.ofMillis(base + ThreadLocalRandom.current().nextLong(base / 4 + 1));
    }
}

package io.parley.notification.push;

import io.parley.notification.domain.AlertText;
import io.parley.notification.domain.PushSubscription;
import io.parley.notification.store.DeliveryStore;
import io.parley.notification.store.DeliveryStore.Due;
import io.parley.notification.store.DeliveryStore.Leased;
import io.parley.notification.store.DeliveryStore.NewDelivery;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends the alerts. Every tick: pending alerts whose grace delay is over become one delivery per device of their user
 * (in the transaction that removes them, so an alert is made once, and none for a user who is online now or muted the
 * conversation); then due deliveries are leased and sent, each on its own, so a push service that is slow or down
 * holds back nothing but its own deliveries. Outcomes: taken, deleted; device gone (404/410), subscription deleted;
 * 429/5xx/unreachable, retried with exponential backoff or the service's Retry-After, up to {@link #MAX_ATTEMPTS}.
 */
@ApplicationScoped
public class AlertDispatcher {

    static final int MAX_ATTEMPTS = 6;
    private static final int CLAIM_BATCH = 200;
    private static final int MAX_IN_FLIGHT = 256;
    /** A leased delivery is sent again after this if its sender vanished (a crash) before recording the outcome. */
    private static final Duration LEASE = Duration.ofSeconds(60);

    private final DeliveryStore store;
    private final WebPushSender webPush;
    private final FcmSender fcm;
    private final ApnsSender apns;
    private final Duration tick;
    private final String preview;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicInteger inFlight = new AtomicInteger();
    private Vertx vertx;
    private long timer;

    public AlertDispatcher(DeliveryStore store, WebPushSender webPush, FcmSender fcm, ApnsSender apns,
                           @ConfigProperty(name = "parley.push.tick", defaultValue = "250ms") Duration tick,
                           @ConfigProperty(name = "parley.push.preview") String preview) {
        this.store = store;
        this.webPush = webPush;
        this.fcm = fcm;
        this.apns = apns;
        this.tick = tick;
        this.preview = preview;
    }

    void start(@Observes StartupEvent start, Vertx vertx) {
        timer = vertx.setPeriodic(tick.toMillis(), id -> tick());
        this.vertx = vertx;
    }

    void stop(@Observes io.quarkus.runtime.ShutdownEvent stop) {
        if (vertx != null) {
            vertx.cancelTimer(timer);
        }
    }

    void tick() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        makeDeliveries()
                .chain(this::sendDue)
                .subscribe().with(done -> running.set(false), failure -> {
                    running.set(false);
                    Log.warnf("alerts not dispatched this time: %s", failure.toString());
                });
    }

    /** Turns due pending alerts into deliveries, a batch per transaction, until none is due. */
    private Uni<Void> makeDeliveries() {
        return store.pool().withTransaction(tx -> store.claimDue(tx, CLAIM_BATCH).chain(due -> {
            List<Due> wanted = due.stream().filter(d -> !d.online() && !d.muted()).toList();
            if (wanted.isEmpty()) {
                return Uni.createFrom().item(due.size());
            }
            return store.subscriptions(tx, wanted.stream().map(Due::userId).distinct().toList())
                    .chain(devices -> store.insert(tx, deliveries(wanted, devices)))
                    .replaceWith(due.size());
        })).chain(claimed -> claimed == CLAIM_BATCH ? makeDeliveries() : Uni.createFrom().voidItem());
    }

    private List<NewDelivery> deliveries(List<Due> due, Map<String, List<UUID>> devices) {
        List<NewDelivery> deliveries = new ArrayList<>();
        for (Due alert : due) {
            String payload = payload(alert);
            for (UUID subscription : devices.getOrDefault(alert.userId(), List.of())) {
                deliveries.add(new NewDelivery(subscription, alert.conversationId(), alert.lastSeq(), payload));
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
        return AlertText.payload(preview, alert.conversationId(), alert.messageCount(), alert.lastSeq(), alert.badge(),
                alert.lastSenderName(), alert.lastPreview()).encode();
    }

    /** Leases what is due, as much as the in-flight limit allows, and sends each on its own. */
    private Uni<Void> sendDue() {
        int room = MAX_IN_FLIGHT - inFlight.get();
        if (room <= 0) {
            return Uni.createFrom().voidItem();
        }
        return store.lease(room, LEASE).chain(leased -> {
            leased.forEach(this::send);
            // a full lease means more is due: go on without waiting for the next tick
            return leased.size() == room ? sendDue() : Uni.createFrom().voidItem();
        });
    }

    private void send(Leased delivery) {
        inFlight.incrementAndGet();
        PushSubscription device = delivery.subscription();
        // one alert per conversation on each device: Web Push Topic, FCM collapse key, apns-collapse-id
        String collapseKey = WebPushSender.topic(delivery.conversationId());
        Uni<PushOutcome> sent = switch (device.kind()) {
            case PushSubscription.WEBPUSH -> webPush.send(device, delivery.payload(), collapseKey);
            case PushSubscription.FCM -> fcm.send(device, new JsonObject(delivery.payload()), collapseKey);
            case PushSubscription.APNS -> apns.send(device, new JsonObject(delivery.payload()), collapseKey);
            default -> Uni.createFrom().item(PushOutcome.notConfigured());
        };
        sent.chain(outcome -> record(delivery, outcome))
                .onTermination().invoke(() -> {
                    if (inFlight.decrementAndGet() == MAX_IN_FLIGHT / 2) {
                        tick(); // room again: more may be due before the next tick
                    }
                })
                .subscribe().with(done -> { }, failure ->
                        Log.warnf("outcome of delivery %d not recorded (it is sent again once its lease ends): %s",
                                delivery.id(), failure.toString()));
    }

    private Uni<Void> record(Leased delivery, PushOutcome outcome) {
        return switch (outcome.kind()) {
            case DELIVERED -> store.done(delivery.id());
            case GONE -> {
                Log.infof("push service answered %d %s for subscription %s: deleted", outcome.status(),
                        outcome.detail() == null ? "" : outcome.detail(), delivery.subscription().id());
                yield store.forget(delivery.subscription().id());
            }
            case RETRY -> {
                if (delivery.attempts() >= MAX_ATTEMPTS) {
                    Log.warnf("delivery %d given up after %d attempts (last: %d %s)", delivery.id(),
                            delivery.attempts(), outcome.status(), outcome.detail());
                    yield store.done(delivery.id());
                }
                Duration wait = outcome.retryAfter().orElse(backoff(delivery.attempts()));
                Log.debugf("delivery %d to be retried in %s: %d %s", delivery.id(), wait, outcome.status(),
                        outcome.detail());
                yield store.retryAt(delivery.id(), Instant.now().plus(wait));
            }
            case REFUSED -> {
                Log.warnf("push service refused delivery %d with %d %s: dropped", delivery.id(), outcome.status(),
                        outcome.detail() == null ? "" : outcome.detail());
                yield store.done(delivery.id());
            }
            case NOT_CONFIGURED -> {
                Log.debugf("no sender configured for %s subscriptions: delivery %d dropped",
                        delivery.subscription().kind(), delivery.id());
                yield store.done(delivery.id());
            }
        };
    }

    /** 1 s, 2 s, 4 s... up to 5 minutes, with up to a quarter more at random so retries spread out. */
    static Duration backoff(int attempts) {
        long base = Math.min(300_000L, 1_000L << Math.min(attempts - 1, 20));
        return Duration.ofMillis(base + ThreadLocalRandom.current().nextLong(base / 4 + 1));
    }
}

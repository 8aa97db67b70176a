package io.parley.notification.domain;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.parley.events.PushKind;
import io.parley.notification.client.PushOutcome;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The notification-service's own metrics ({@code parley_*} on the management interface's {@code /q/metrics};
 * docs/operations.md says what each means): push sends by provider and outcome and their duration, the dispatcher's
 * rounds, and the alerts and deliveries waiting (counted in the database every 5 seconds, so every instance reports
 * the same). Tags take values from fixed lists only (providers, outcomes).
 */
@Startup
@ApplicationScoped
public class NotificationMetrics {

    /** Push providers as subscriptions name them ({@link PushKind}), and {@code other}. */
    static final List<String> PROVIDERS =
            List.of(PushKind.WEBPUSH.wire(), PushKind.FCM.wire(), PushKind.APNS.wire(), "other");
    /**
     * What became of a push send: {@code delivered}, {@code gone} (device unregistered, subscription deleted),
     * {@code retry} (429, 5xx, unreachable: sent again later), {@code given_up} (the same, after the last attempt),
     * {@code refused} (another 4xx, dropped), {@code not_configured} (no sender for that provider, dropped).
     */
    static final List<String> OUTCOMES = List.of("delivered", "gone", "retry", "given_up", "refused", "not_configured");

    private final Pool pool;
    private final Map<String, Counter> sends = new HashMap<>();
    private final Map<String, Timer> sendDurations = new HashMap<>();
    private final Timer rounds;
    private final AtomicLong pendingAlerts = new AtomicLong();
    private final AtomicLong pendingDeliveries = new AtomicLong();

    public NotificationMetrics(MeterRegistry registry, Pool pool) {
        this.pool = pool;
        for (String provider : PROVIDERS) {
            for (String outcome : OUTCOMES) {
                sends.put(
                        provider + "/" + outcome,
                        Counter.builder("parley.push.sends")
                                .description("Push sends by provider and outcome")
                                .tag("provider", provider)
                                .tag("outcome", outcome)
                                .register(registry));
            }
            sendDurations.put(
                    provider,
                    Timer.builder("parley.push.send.duration")
                            .description("From handing an alert to the provider to its answer, by provider")
                            .tag("provider", provider)
                            .serviceLevelObjectives(
                                    Duration.ofMillis(50),
                                    Duration.ofMillis(100),
                                    Duration.ofMillis(250),
                                    Duration.ofMillis(500),
                                    Duration.ofSeconds(1),
                                    Duration.ofSeconds(2),
                                    Duration.ofSeconds(5),
                                    Duration.ofSeconds(10))
                            .register(registry));
        }
        rounds = Timer.builder("parley.alerts.round")
                .description("One dispatcher round: due pending alerts turned into deliveries, due deliveries leased "
                        + "and handed to the senders")
                .serviceLevelObjectives(
                        Duration.ofMillis(10),
                        Duration.ofMillis(50),
                        Duration.ofMillis(100),
                        Duration.ofMillis(250),
                        Duration.ofMillis(500),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(5))
                .register(registry);
        Gauge.builder("parley.alerts.pending", pendingAlerts, AtomicLong::get)
                .description("Pending alerts (one per user and conversation with unread messages) not yet due or sent")
                .register(registry);
        Gauge.builder("parley.push.deliveries.pending", pendingDeliveries, AtomicLong::get)
                .description("Push deliveries made and not yet taken by their provider (in flight or waiting to retry)")
                .register(registry);
    }

    /** A push send of {@code provider} (a subscription's kind) ended with {@code outcome} after {@code nanos}. */
    public void pushed(String provider, PushOutcome outcome, boolean givenUp, long nanos) {
        String p = PROVIDERS.contains(provider) ? provider : "other";
        String o = givenUp ? "given_up" : outcome.kind().name().toLowerCase(Locale.ROOT);
        sends.get(p + "/" + o).increment();
        if (outcome.kind() != PushOutcome.Kind.NOT_CONFIGURED) {
            sendDurations.get(p).record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    /** A dispatcher round took {@code nanos}. */
    public void round(long nanos) {
        rounds.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Every 5 seconds: counts the pending alerts and deliveries (a failure keeps the last counts). */
    @Scheduled(
            skipExecutionIf = Scheduled.ApplicationNotRunning.class,
            every = "5s",
            delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> count() {
        return pool.query("SELECT (SELECT count(*) FROM pending_alert) AS alerts, "
                        + "(SELECT count(*) FROM push_delivery) AS deliveries")
                .execute()
                .invoke(rows -> {
                    Row row = rows.iterator().next();
                    pendingAlerts.set(row.getLong("alerts"));
                    pendingDeliveries.set(row.getLong("deliveries"));
                })
                .replaceWithVoid()
                .onFailure()
                .recoverWithItem(e -> {
                    Log.debugf("pending alerts not counted: %s", e.toString());
                    return null;
                });
    }
}

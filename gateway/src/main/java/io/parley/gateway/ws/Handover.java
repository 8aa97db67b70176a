package io.parley.gateway.ws;

import io.parley.gateway.config.GatewayConfig;
import io.parley.gateway.delivery.Session;
import io.parley.gateway.delivery.SessionRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.websockets.next.CloseReason;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Hands this gateway's clients over to the other instances when it stops (issue 16; docs/api.md, "Limits and
 * closes"). On SIGTERM Quarkus fires {@link ShutdownDelayInitiatedEvent} before it stops anything (the shutdown delay
 * is enabled in application.properties); from then on this instance
 * <ol>
 *   <li>says it is not ready ({@code /q/health/ready} DOWN), so that no load balancer sends it a client;</li>
 *   <li>answers new WebSocket upgrades {@code 503} with {@code Retry-After: 1};</li>
 *   <li>closes every open WebSocket with <b>1012</b> (service restart), which {@code @parley/client} answers by
 *       reconnecting at once (to another instance, since this one is out of the Service) and resuming; the closes are
 *       spread evenly over {@code parley.gateway.shutdown-drain} (5 s), so that 2,000 clients do not reconnect to the
 *       other gateways in the same millisecond;</li>
 *   <li>waits a little for those connections' ends (their presence rows, their {@code offline} events), then lets
 *       Quarkus stop.</li>
 * </ol>
 * Until its connection is closed, a client keeps receiving its messages here: nothing is lost in the hand-over, and
 * each client is without a connection only for its own reconnect.
 */
@ApplicationScoped
public class Handover {

    /** The close that asks a client to reconnect at once, to another instance. */
    public static final CloseReason RESTART = new CloseReason(1012, "gateway restarting: reconnect");
    /** How often a batch of connections is closed during the drain. */
    static final Duration STEP = Duration.ofMillis(50);
    /** How long, after the last close was sent, the drain waits for the connections' ends before it is over. */
    static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

    private final SessionRegistry sessions;
    private final Vertx vertx;
    private final Duration window;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();

    /**
     * @param config {@code parley.gateway.shutdown-drain}: the window over which the connections are closed
     */
    public Handover(SessionRegistry sessions, Vertx vertx, GatewayConfig config) {
        this.sessions = sessions;
        this.vertx = vertx;
        this.window = config.gateway().shutdownDrain();
    }

    /** Drains on SIGTERM (Quarkus' shutdown-delay event), before anything stops; blocks the shutdown until done. */
    void onShutdown(@Observes ShutdownDelayInitiatedEvent event) {
        try {
            drain().toCompletableFuture()
                    .get(window.plus(CLOSE_GRACE).plusSeconds(1).toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            Log.warnf("hand-over not finished within %s; stopping anyway", window.plus(CLOSE_GRACE));
        } catch (ExecutionException e) {
            Log.warn("hand-over failed; stopping anyway", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** While draining, {@code /ws} answers 503 before the upgrade (ahead of {@code ConsumersReady}'s check). */
    void refuseUpgradesWhileDraining(@Observes Router router) {
        router.route("/ws").order(-310).handler(context -> {
            if (!draining.get()) {
                context.next();
                return;
            }
            context.response()
                    .setStatusCode(503)
                    .putHeader("Retry-After", "1")
                    .putHeader("Content-Type", "application/problem+json")
                    .end("{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,"
                            + "\"detail\":\"This gateway is stopping; connect again: another one will take you.\"}");
        });
    }

    /** Whether this instance is handing its clients over (it is stopping). */
    public boolean draining() {
        return draining.get();
    }

    /**
     * Starts the hand-over (once; later calls return the same stage): readiness DOWN and upgrades refused from now,
     * the open connections closed with {@link #RESTART} over the window.
     *
     * @return completes once every connection was asked to close and their ends were awaited (at most
     * {@link #CLOSE_GRACE} after the last close)
     */
    public CompletionStage<Void> drain() {
        if (!draining.compareAndSet(false, true)) {
            return drained;
        }
        List<Session> open = sessions.all().toList();
        Log.infof("stopping: handing %d connections over to the other gateways within %s", open.size(), window);
        Set<Session> asked = Collections.newSetFromMap(new IdentityHashMap<>());
        long start = System.nanoTime();
        vertx.runOnContext(first -> {
            closeDue(open, asked, start);
            if (asked.size() == open.size()) {
                finish(asked);
                return;
            }
            vertx.setPeriodic(STEP.toMillis(), timer -> {
                closeDue(open, asked, start);
                if (asked.size() == open.size()) {
                    vertx.cancelTimer(timer);
                    finish(asked);
                }
            });
        });
        return drained;
    }

    /** Closes the connections whose turn came (see {@link #dueBy}). */
    private void closeDue(List<Session> open, Set<Session> asked, long start) {
        int due = dueBy(open.size(), window, Duration.ofNanos(System.nanoTime() - start));
        for (int i = asked.size(); i < due; i++) {
            close(open.get(i), asked);
        }
    }

    /**
     * Closes the connections that opened meanwhile (their upgrade was accepted just before the drain began), then
     * waits for every connection's end, at most {@link #CLOSE_GRACE}.
     */
    private void finish(Set<Session> asked) {
        sessions.all().filter(s -> !asked.contains(s)).toList().forEach(s -> close(s, asked));
        long until = System.nanoTime() + CLOSE_GRACE.toNanos();
        vertx.setPeriodic(STEP.toMillis(), timer -> {
            if (sessions.all().findAny().isEmpty() || System.nanoTime() > until) {
                vertx.cancelTimer(timer);
                Log.infof("stopping: %d connections handed over", asked.size());
                drained.complete(null);
            }
        });
    }

    private static void close(Session session, Set<Session> asked) {
        asked.add(session);
        // behind the frames already given to the connection: nothing it was sent is lost in the hand-over
        session.close(RESTART);
    }

    /**
     * How many of {@code connections} should have been closed once {@code elapsed} of the {@code window} has passed:
     * evenly spread, all of them at the end of the window (and at once when the window is zero). Plain logic, tested
     * on its own.
     */
    static int dueBy(int connections, Duration window, Duration elapsed) {
        if (connections <= 0) {
            return 0;
        }
        if (window.isZero() || window.isNegative() || elapsed.compareTo(window) >= 0) {
            return connections;
        }
        double share = (double) Math.max(0, elapsed.toNanos()) / window.toNanos();
        return (int) Math.min(connections, Math.ceil(connections * share));
    }

    /** Readiness: DOWN from the start of the hand-over, so that no load balancer sends this instance a client. */
    @ApplicationScoped
    @Readiness
    static class Ready implements HealthCheck {

        private final Handover handover;

        Ready(Handover handover) {
            this.handover = handover;
        }

        @Override
        public HealthCheckResponse call() {
            return HealthCheckResponse.named("gateway accepting connections")
                    .status(!handover.draining())
                    .build();
        }
    }
}

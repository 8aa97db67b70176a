package io.parley.gateway.delivery;

import io.parley.gateway.config.GatewayConfig;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.websockets.next.CloseReason;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Every second: pings the connections whose last ping went {@code parley.gateway.ping-interval} ago (one check for
 * every connection instead of a timer each: ten thousand idle connections cost the event loops one task a second, not
 * a thousand timers; docs/benchmarks.md "Idle connections"), and closes the connections whose token has expired and
 * was not replaced by an {@code auth} frame (1008, "token expired"), those whose client stopped reading (1013, see
 * {@link Session#closeIfStalled()}), and those whose
 * client has sent nothing, not even the pong to the pings sent every {@code parley.gateway.ping-interval}, for
 * {@code parley.gateway.idle-timeout} (1001 and the TCP connection cut, see {@link Session#closeIfSilent}): a network
 * that vanished without closing TCP. Each close publishes offline if it was the user's last connection. Every client
 * reconnects and resumes.
 */
@ApplicationScoped
public class TokenExpiry {

    public static final CloseReason EXPIRED = new CloseReason(1008, "token expired");
    /** How often the check runs (the {@code every} of {@link #check}). */
    static final Duration CHECK_EVERY = Duration.ofSeconds(1);

    private final SessionRegistry sessions;
    private final long idleTimeoutNanos;
    private final long pingIntervalNanos;
    private final long talkingNanos;

    /**
     * @param config {@code parley.gateway.idle-timeout}, how long a client may send nothing (no frame, no pong)
     *               before its connection is taken for dead; longer than {@code ping-interval}, so that a live client
     *               answers a ping meanwhile
     */
    public TokenExpiry(SessionRegistry sessions, GatewayConfig config) {
        Duration idleTimeout = config.gateway().idleTimeout();
        Duration pingInterval = config.gateway().pingInterval();
        if (idleTimeout.compareTo(pingInterval) <= 0) {
            throw new IllegalArgumentException("parley.gateway.idle-timeout (" + idleTimeout
                    + ") must be longer than parley.gateway.ping-interval (" + pingInterval + ")");
        }
        this.sessions = sessions;
        this.idleTimeoutNanos = idleTimeout.toNanos();
        // Due half a check early: a check that comes a hair before the interval's end pings then, not a second late.
        this.pingIntervalNanos = Math.max(0, pingInterval.toNanos() - CHECK_EVERY.toNanos() / 2);
        // A client whose own frames come every interval (the web client's ping every 10 s) is spared, whatever the
        // check's phase: its last frame is always within the interval and a check.
        this.talkingNanos = pingInterval.toNanos() + CHECK_EVERY.toNanos();
    }

    /** Every second, on the event loop: the pings and checks above for every connection of this instance. */
    @Scheduled(
            skipExecutionIf = Scheduled.ApplicationNotRunning.class,
            every = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> check() {
        closeExpired();
        return Uni.createFrom().voidItem();
    }

    void closeExpired() {
        long now = System.currentTimeMillis() / 1000;
        long nowNanos = System.nanoTime();
        sessions.forEach(session -> {
            if (session.expiresAt() <= now && session.connection().isOpen()) {
                session.close(EXPIRED);
            } else if (!session.closeIfSilent(idleTimeoutNanos)) {
                session.closeIfStalled();
                session.pingIfDue(nowNanos, pingIntervalNanos, talkingNanos);
            }
        });
    }
}

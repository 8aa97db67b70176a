package io.parley.gateway.delivery;

import io.parley.gateway.config.GatewayConfig;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.websockets.next.CloseReason;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Every second: closes the connections whose token has expired and was not replaced by an {@code auth} frame (1008,
 * "token expired"), those whose client stopped reading (1013, see {@link Session#closeIfStalled()}), and those whose
 * client has sent nothing, not even the pong to the pings sent every {@code parley.gateway.ping-interval}, for
 * {@code parley.gateway.idle-timeout} (1001 and the TCP connection cut, see {@link Session#closeIfSilent}): a network
 * that vanished without closing TCP. Each close publishes offline if it was the user's last connection. Every client
 * reconnects and resumes.
 */
@ApplicationScoped
public class TokenExpiry {

    public static final CloseReason EXPIRED = new CloseReason(1008, "token expired");

    private final SessionRegistry sessions;
    private final long idleTimeoutNanos;

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
    }

    /** Every second, on the event loop: the checks above for every connection of this instance. */
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
        sessions.all().forEach(session -> {
            if (session.expiresAt() <= now && session.connection().isOpen()) {
                session.close(EXPIRED);
            } else if (!session.closeIfSilent(idleTimeoutNanos)) {
                session.closeIfStalled();
            }
        });
    }
}

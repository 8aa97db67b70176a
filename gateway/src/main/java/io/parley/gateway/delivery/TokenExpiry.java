package io.parley.gateway.delivery;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.websockets.next.CloseReason;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Closes, every second, the connections whose token has expired and was not replaced by an {@code auth} frame,
 * with close code 1008 and the reason "token expired": the client reconnects with a fresh token and resumes.
 */
@ApplicationScoped
public class TokenExpiry {

    public static final CloseReason EXPIRED = new CloseReason(1008, "token expired");

    private final SessionRegistry sessions;

    public TokenExpiry(SessionRegistry sessions) {
        this.sessions = sessions;
    }

    void start(@Observes StartupEvent event, Vertx vertx) {
        vertx.setPeriodic(1_000, id -> closeExpired());
    }

    void closeExpired() {
        long now = System.currentTimeMillis() / 1000;
        sessions.all()
                .filter(session -> session.expiresAt() <= now && session.connection().isOpen())
                .forEach(session -> session.connection().close(EXPIRED).subscribe().with(ok -> { }, e -> { }));
    }
}

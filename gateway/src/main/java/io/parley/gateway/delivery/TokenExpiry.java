package io.parley.gateway.delivery;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.websockets.next.CloseReason;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Every second: closes the connections whose token has expired and was not replaced by an {@code auth} frame (1008,
 * "token expired"), and those whose client stopped reading (1013, see {@link Session#closeIfStalled()}). Either
 * client reconnects and resumes.
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
        sessions.all().forEach(session -> {
            if (session.expiresAt() <= now && session.connection().isOpen()) {
                session.connection().close(EXPIRED).subscribe().with(ok -> { }, e -> { });
            } else {
                session.closeIfStalled();
            }
        });
    }
}

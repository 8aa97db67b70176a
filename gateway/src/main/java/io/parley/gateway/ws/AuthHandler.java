package io.parley.gateway.ws;

import io.parley.events.Role;
import io.parley.gateway.delivery.Session;
import io.parley.gateway.delivery.SessionRegistry;
import io.parley.gateway.protocol.ClientFrame;
import io.parley.gateway.protocol.ServerFrame;
import io.parley.gateway.protocol.ServerFrame.Error;
import io.smallrye.jwt.auth.principal.JWTParser;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * An {@code auth} frame: replaces the connection's token with a fresh one of the same user, and everything the token
 * decides with it: the role (an admin's connection whose new token is a client's stops receiving support
 * conversations at once), and the expiry.
 */
@ApplicationScoped
public class AuthHandler {

    private final JWTParser parser;
    private final SessionRegistry sessions;

    public AuthHandler(JWTParser parser, SessionRegistry sessions) {
        this.parser = parser;
        this.sessions = sessions;
    }

    /**
     * Verifies a decoded {@code auth} frame's token and, if it is a valid token of the same user with a known role,
     * makes it the connection's.
     *
     * @return {@code authenticated} with the new expiry, or an {@code error}: {@code unauthorized} (not a valid
     *         token) or {@code forbidden} (another user's, or no known role), after which the connection keeps the
     *         token it had until that one expires
     */
    public ServerFrame handle(Session session, ClientFrame.Auth auth) {
        String ref = auth.ref();
        JsonWebToken fresh;
        try {
            fresh = parser.parse(auth.token());
        } catch (Exception e) {
            return Error.of(ref, "unauthorized", "The token is not valid.");
        }
        if (!session.userId().equals(fresh.getSubject())) {
            return Error.of(ref, "forbidden", "The token is another user's.");
        }
        Optional<Role> role = Role.find(fresh.getGroups());
        if (role.isEmpty()) {
            return Error.of(ref, "forbidden", "The token names no known role (client, expert, admin).");
        }
        sessions.renew(session, auth.token(), fresh.getExpirationTime(), role.get());
        return new ServerFrame.Authenticated(Instant.ofEpochSecond(fresh.getExpirationTime()), ref);
    }
}

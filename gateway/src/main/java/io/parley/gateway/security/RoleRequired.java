package io.parley.gateway.security;

import io.parley.events.Role;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Refuses the WebSocket upgrade of a valid token that names no known role ({@code groups} holds none of
 * {@code client}, {@code expert}, {@code admin}) with 403 and a problem+json body, as every REST call answers such a
 * token. Runs on {@code /ws} after authentication (order -200) and before the upgrade; requests without a verified
 * identity go on, to be refused with 401 by the endpoint's own check.
 */
@ApplicationScoped
public class RoleRequired {

    static final String BODY = "{\"type\":\"about:blank\",\"title\":\"Forbidden\",\"status\":403,"
            + "\"detail\":\"The token names no known role (client, expert or admin).\"}";

    void install(@Observes Router router) {
        router.route("/ws").order(-150).handler(this::check);
    }

    private void check(RoutingContext context) {
        QuarkusHttpUser.getSecurityIdentity(context, null)
                .subscribe()
                .with(
                        identity -> {
                            if (refused(identity)) {
                                context.response()
                                        .setStatusCode(403)
                                        .putHeader("Content-Type", "application/problem+json")
                                        .end(BODY);
                            } else {
                                context.next();
                            }
                        },
                        failure -> context.next()); // an authentication failure is answered by the endpoint's own check
        // (401)
    }

    /** True for a verified identity whose roles name none of the known ones; false for none or an anonymous one. */
    static boolean refused(SecurityIdentity identity) {
        return identity != null
                && !identity.isAnonymous()
                && Role.find(identity.getRoles()).isEmpty();
    }
}

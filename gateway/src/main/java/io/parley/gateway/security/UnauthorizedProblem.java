package io.parley.gateway.security;

import io.parley.kit.Problem;
import io.quarkus.security.AuthenticationFailedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The gateway's answer to a token it cannot verify (bad signature, algorithm, issuer, audience, expired, not yet
 * valid): {@code 401} with {@code WWW-Authenticate: Bearer error="invalid_token"} (RFC 6750 section 3.1) and the
 * API's problem body (RFC 9457), instead of the empty 401 of Quarkus' proactive authentication. It sees the failure
 * before anything is forwarded to a service. A call under {@code /api} takes one from its remote address's allowance
 * ({@link io.parley.gateway.api.ApiRateLimit#takeUnverified}): beyond it, {@code 429} instead.
 */
@ApplicationScoped
public class UnauthorizedProblem {

    /** The body: {@code {type: "about:blank", title: "Unauthorized", status: 401, detail}}. */
    static final String BODY = new JsonObject()
            .put("type", "about:blank")
            .put("title", "Unauthorized")
            .put("status", 401)
            .put("detail", "The token could not be verified (signature, issuer, audience or validity); sign in again.")
            .encode();

    private final io.parley.gateway.api.ApiRateLimit limit;

    public UnauthorizedProblem(io.parley.gateway.api.ApiRateLimit limit) {
        this.limit = limit;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::handle);
    }

    private void handle(RoutingContext context) {
        if (!(context.failure() instanceof AuthenticationFailedException)
                || context.response().headWritten()) {
            context.next();
            return;
        }
        // a call under /api counts against its address's allowance all the same (docs/api.md, 429)
        if (context.normalizedPath().startsWith("/api/") && !limit.takeUnverified(context)) {
            return;
        }
        context.response()
                .setStatusCode(401)
                .putHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"")
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(BODY);
    }
}

package io.parley.gateway.api;

import io.parley.gateway.config.GatewayConfig;
import io.parley.gateway.limits.TokenBuckets;
import io.parley.gateway.limits.TooManyRequests;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.security.Principal;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * REST calls under {@code /api} per user on this instance (docs/api.md, Errors): a token bucket of
 * {@code parley.gateway.api-burst} calls refilled at {@code api-rate} a second, keyed by the token's {@code sub}. A
 * call beyond it is answered {@code 429} problem+json with {@code Retry-After} (whole seconds) here, and nothing of it
 * is forwarded. A call without a valid token (which its service answers {@code 401}) counts against its remote
 * address instead, and so does a call whose token the gateway could not verify ({@link #takeUnverified}, from the
 * handler of that failure). Runs after authentication (order -200) and before the proxy ({@link ApiProxy}, order -100).
 */
@ApplicationScoped
public class ApiRateLimit {

    private final TokenBuckets buckets;

    /** @param config {@code parley.gateway.api-rate} and {@code api-burst} */
    @Inject
    public ApiRateLimit(GatewayConfig config) {
        this.buckets =
                new TokenBuckets(config.gateway().apiRate(), config.gateway().apiBurst());
    }

    void install(@Observes Router router) {
        router.route("/api/*").order(-110).handler(this::check);
    }

    private void check(RoutingContext context) {
        QuarkusHttpUser.getSecurityIdentity(context, null)
                .subscribe()
                .with(identity -> decide(context, identity), failure -> decide(context, null));
    }

    private void decide(RoutingContext context, SecurityIdentity identity) {
        if (take(context, key(identity, context.request().remoteAddress()))) {
            context.next();
        }
    }

    /**
     * Counts a call under {@code /api} whose token the gateway could not verify, which authentication answers before
     * this limit's route runs: against its remote address, as a call without a token.
     *
     * @return true when the call is within the address's allowance (answer it {@code 401}); false when it was answered
     *         {@code 429} here
     */
    public boolean takeUnverified(RoutingContext context) {
        return take(context, key(null, context.request().remoteAddress()));
    }

    /** One call of {@code key}'s allowance: true if taken; false if none is left, the call then answered 429. */
    private boolean take(RoutingContext context, String key) {
        long wait = buckets.acquire(key);
        if (wait == 0) {
            return true;
        }
        long seconds = TokenBuckets.retryAfterSeconds(wait);
        TooManyRequests.refuse(
                context.request(),
                seconds,
                "Too many requests; retry in " + seconds + (seconds == 1 ? " second." : " seconds."));
        return false;
    }

    /**
     * Whose allowance a call takes: {@code user:<sub>} for a verified token, else {@code address:<remote host>} (or
     * {@code address:unknown}).
     */
    static String key(SecurityIdentity identity, SocketAddress remote) {
        if (identity != null && !identity.isAnonymous()) {
            Principal principal = identity.getPrincipal();
            String subject = principal instanceof JsonWebToken jwt ? jwt.getSubject() : principal.getName();
            if (subject != null) {
                return "user:" + subject;
            }
        }
        return "address:" + (remote == null ? "unknown" : remote.hostAddress());
    }
}

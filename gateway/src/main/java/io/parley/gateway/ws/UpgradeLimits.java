package io.parley.gateway.ws;

import io.parley.gateway.config.GatewayConfig;
import io.parley.gateway.limits.TokenBuckets;
import io.parley.gateway.limits.TooManyRequests;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.quarkus.websockets.next.CloseReason;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * What one address and one user may hold of this instance's WebSockets (docs/api.md, "Limits and closes"):
 * <ul>
 *   <li><b>Upgrade attempts per remote address</b>: {@code parley.gateway.upgrade-attempts} within
 *       {@code upgrade-window} (a token bucket: that many at once, coming back evenly over the window), counted
 *       before the token is read, so that a flood of upgrades costs no signature check. Beyond, the upgrade is
 *       answered {@code 429} problem+json with {@code Retry-After} (whole seconds until the next attempt is
 *       allowed).</li>
 *   <li><b>Open connections per user</b>: at most {@code parley.gateway.connections-per-user}. A further upgrade is
 *       answered {@code 429} problem+json with {@code Retry-After} of the idle timeout (within which a connection
 *       whose network vanished is noticed and closed). Upgrades that race past that check together are counted again
 *       when they open ({@link #tryOpen}): those beyond the limit are closed at once with {@link #TOO_MANY}.</li>
 * </ul>
 * Both run on {@code /ws} like the other checks of the upgrade: the address check after the drain's (order -310)
 * and before the readiness check (-300); the user check after authentication (-200) and the role check (-150).
 * The per-user count holds only users with an open connection here: it shrinks with each close.
 */
@ApplicationScoped
public class UpgradeLimits {

    /** The close of a connection beyond the per-user limit that raced past the upgrade's check. */
    public static final CloseReason TOO_MANY = new CloseReason(1008, "too many connections");

    /** Per-address attempts; null when {@code upgrade-attempts} is 0 (no limit). */
    private final TokenBuckets attempts;

    private final int perUser;
    private final long fullRetryAfter;
    /** Open connections per user on this instance; a user without one has no entry. */
    private final Map<String, Integer> open = new ConcurrentHashMap<>();

    /**
     * @param config {@code parley.gateway.upgrade-attempts}, {@code upgrade-window}, {@code connections-per-user}
     *               and {@code idle-timeout} (the {@code Retry-After} of the per-user refusal)
     */
    @Inject
    public UpgradeLimits(GatewayConfig config) {
        this(
                config.gateway().upgradeAttempts(),
                config.gateway().upgradeWindow().toNanos() / 1e9,
                config.gateway().connectionsPerUser(),
                Math.max(1, (config.gateway().idleTimeout().toMillis() + 999) / 1000));
    }

    /**
     * @param attemptsPerWindow upgrade attempts per address within the window; 0 for no limit
     * @param windowSeconds     the window, in seconds
     * @param perUser           open connections per user
     * @param fullRetryAfter    the {@code Retry-After}, in seconds, of an upgrade refused for the per-user limit
     */
    UpgradeLimits(int attemptsPerWindow, double windowSeconds, int perUser, long fullRetryAfter) {
        this.attempts =
                attemptsPerWindow <= 0 ? null : new TokenBuckets(attemptsPerWindow / windowSeconds, attemptsPerWindow);
        this.perUser = perUser;
        this.fullRetryAfter = fullRetryAfter;
    }

    void install(@Observes Router router) {
        router.route("/ws").order(-305).handler(this::checkAddress);
        router.route("/ws").order(-140).handler(this::checkUser);
    }

    private void checkAddress(RoutingContext context) {
        long wait = attempts == null
                ? 0
                : attempts.acquire(address(context.request().remoteAddress()));
        if (wait == 0) {
            context.next();
            return;
        }
        long seconds = TokenBuckets.retryAfterSeconds(wait);
        TooManyRequests.refuse(
                context.request(),
                seconds,
                "Too many connection attempts from this address; retry in " + seconds
                        + (seconds == 1 ? " second." : " seconds."));
    }

    private void checkUser(RoutingContext context) {
        QuarkusHttpUser.getSecurityIdentity(context, null)
                .subscribe()
                .with(
                        identity -> {
                            String userId = subject(identity);
                            if (userId != null && openOf(userId) >= perUser) {
                                TooManyRequests.refuse(
                                        context.request(),
                                        fullRetryAfter,
                                        "This user has " + perUser
                                                + " open connections, the most one gateway holds; close one first.");
                            } else {
                                context.next();
                            }
                        },
                        failure -> context.next()); // refused with 401 by the endpoint's own check
    }

    /**
     * Counts a connection of {@code userId} that is opening, unless the user already has the most allowed.
     *
     * @return true when counted (call {@link #closed} when it closes); false when over the limit (close it with
     *         {@link #TOO_MANY}; nothing was counted)
     */
    public boolean tryOpen(String userId) {
        boolean[] counted = {false};
        open.compute(userId, (user, n) -> {
            int now = n == null ? 0 : n;
            if (now >= perUser) {
                return n;
            }
            counted[0] = true;
            return now + 1;
        });
        return counted[0];
    }

    /** A counted connection of {@code userId} closed; the user's entry goes with their last one. */
    public void closed(String userId) {
        open.computeIfPresent(userId, (user, n) -> n <= 1 ? null : n - 1);
    }

    /** How many connections of {@code userId} are open (counted) here. */
    int openOf(String userId) {
        return open.getOrDefault(userId, 0);
    }

    /** How many users have a connection counted here. */
    int users() {
        return open.size();
    }

    /** The key of a remote address: its host (every port of one host is one address). */
    static String address(SocketAddress remote) {
        return remote == null || remote.hostAddress() == null ? "unknown" : remote.hostAddress();
    }

    private static String subject(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            return null;
        }
        return identity.getPrincipal() instanceof JsonWebToken jwt
                ? jwt.getSubject()
                : identity.getPrincipal().getName();
    }
}

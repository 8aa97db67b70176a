package io.parley.gateway.delivery;

import io.parley.gateway.config.GatewayConfig;
import io.parley.gateway.limits.TokenBuckets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Sends per user on this instance: a token bucket of {@code burst} sends that refills at {@code rate} per second
 * ({@link TokenBuckets}, whose map is bounded and forgets a user once their bucket is full again). A user connected to
 * several instances gets the allowance on each; closing and opening a connection gives no new allowance.
 */
@ApplicationScoped
public class SendRateLimiter {

    private final TokenBuckets buckets;

    /** A limiter of {@code parley.gateway.send-rate} sends a second with bursts of {@code send-burst}. */
    @Inject
    public SendRateLimiter(GatewayConfig config) {
        this(config.gateway().sendRate(), config.gateway().sendBurst());
    }

    /**
     * @param rate  sends per second refilled
     * @param burst the most sends allowed at once
     */
    SendRateLimiter(double rate, double burst) {
        this.buckets = new TokenBuckets(rate, burst);
    }

    /** Takes one send from the user's allowance; answers 0 if allowed, else the seconds to wait before retrying. */
    public double acquire(String userId) {
        return buckets.acquire(userId) / 1e9;
    }
}

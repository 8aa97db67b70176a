package io.parley.gateway.delivery;

import io.parley.gateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sends per user on this instance: a token bucket of {@code burst} sends that refills at {@code rate} per second.
 * A user connected to several instances gets the allowance on each.
 */
@ApplicationScoped
public class SendRateLimiter {

    private static final class Bucket {
        double tokens;
        long refilledAt;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.refilledAt = now;
        }
    }

    private final double rate;
    private final double burst;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

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
        this.rate = rate;
        this.burst = burst;
    }

    /** Takes one send from the user's allowance; answers 0 if allowed, else the seconds to wait before retrying. */
    public double acquire(String userId) {
        long now = System.nanoTime();
        Bucket bucket = buckets.computeIfAbsent(userId, u -> new Bucket(burst, now));
        synchronized (bucket) {
            bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.refilledAt) / 1e9 * rate);
            bucket.refilledAt = now;
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return 0;
            }
            return (1 - bucket.tokens) / rate;
        }
    }

    /** Forgets a user who has no connection left here. */
    public void forget(String userId) {
        buckets.remove(userId);
    }
}

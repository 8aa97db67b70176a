package io.parley.gateway.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;

/**
 * One token bucket per key (a user id, a remote address): each key may take {@code burst} tokens at once, and gets
 * them back at {@code rate} a second. The gateway's every rate limit is one of these: sends on the WebSocket, REST
 * calls under {@code /api}, WebSocket upgrade attempts per address (docs/api.md; docs/architecture.md says why the
 * bucket is ours and the map Caffeine's).
 *
 * <p>The buckets live in a Caffeine cache, so what one instance holds is bounded whatever number of keys it meets:
 * <ul>
 *   <li>a bucket untouched for {@code burst / rate} seconds is forgotten: by then it is full again, so forgetting it
 *       changes no answer;</li>
 *   <li>at most {@code maxKeys} buckets are held (the least recently used goes first): a key forgotten that way before
 *       its bucket was full starts again with a full one, the only leniency, and only under a flood of keys.</li>
 * </ul>
 * Thread-safe.
 */
public final class TokenBuckets {

    /** The most buckets one limiter holds, unless told otherwise: about 10 MB at worst. */
    public static final long MAX_KEYS = 100_000;

    private static final class Bucket {
        double tokens;
        long refilledAt;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.refilledAt = now;
        }
    }

    private final double perNano;
    private final double burst;
    private final Ticker clock;
    private final Cache<String, Bucket> buckets;

    /**
     * @param rate  tokens given back per second, above 0
     * @param burst the most tokens a key may hold and take at once, at least 1
     */
    public TokenBuckets(double rate, double burst) {
        this(rate, burst, MAX_KEYS, Ticker.systemTicker());
    }

    /**
     * @param rate    tokens given back per second, above 0
     * @param burst   the most tokens a key may hold and take at once, at least 1
     * @param maxKeys the most buckets held at once
     * @param clock   the time in nanoseconds (Caffeine's {@link Ticker}: {@link System#nanoTime()} outside tests)
     * @throws IllegalArgumentException for a rate that is not above 0 or a burst under 1
     */
    TokenBuckets(double rate, double burst, long maxKeys, Ticker clock) {
        if (!(rate > 0) || !(burst >= 1) || Double.isInfinite(rate) || Double.isInfinite(burst)) {
            throw new IllegalArgumentException("a rate above 0 and a burst of at least 1, not " + rate + "/" + burst);
        }
        this.perNano = rate / 1e9;
        this.burst = burst;
        this.clock = clock;
        this.buckets = Caffeine.newBuilder()
                .maximumSize(maxKeys)
                .expireAfterAccess(untilFull(rate, burst))
                .ticker(clock)
                .executor(Runnable::run)
                .build();
    }

    /** How long an empty bucket takes to be full again: {@code burst / rate} seconds, at least a millisecond. */
    static Duration untilFull(double rate, double burst) {
        double nanos = Math.ceil(burst / rate * 1e9);
        return Duration.ofNanos((long) Math.max(1_000_000, Math.min(nanos, Long.MAX_VALUE / 2)));
    }

    /**
     * Takes one token of {@code key}'s bucket.
     *
     * @return 0 when the token was taken; otherwise (nothing taken) the nanoseconds until one is there
     */
    public long acquire(String key) {
        long now = clock.read();
        Bucket bucket = buckets.get(key, k -> new Bucket(burst, now));
        synchronized (bucket) {
            long elapsed = Math.max(0, now - bucket.refilledAt);
            bucket.tokens = Math.min(burst, bucket.tokens + elapsed * perNano);
            bucket.refilledAt = Math.max(now, bucket.refilledAt);
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - bucket.tokens) / perNano));
        }
    }

    /**
     * A wait as the value of a {@code Retry-After} header: whole seconds, rounded up, at least 1 (RFC 9110 section
     * 10.2.3: delay-seconds is a non-negative integer; a client that retries after it finds a token).
     *
     * @param nanos a wait in nanoseconds, as {@link #acquire} answers it
     */
    public static long retryAfterSeconds(long nanos) {
        return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }

    /** How many buckets are held now (expired ones dropped first). */
    long size() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }
}

package io.parley.message.domain;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many uploads each user made in the last {@link #window()}, per service instance: a sliding window that keeps the
 * times of each user's admitted uploads (at most {@code limit} of them), so memory is bounded by users times limit, and
 * users silent for a window are forgotten by {@link #prune}. No rate limiting library is on the classpath; this is the
 * small counter the files contract needs (section 1: {@code 429} with {@code Retry-After}).
 */
public final class UploadRateLimiter {

    private final int limit;
    private final long windowNanos;
    private final Map<String, ArrayDeque<Long>> admitted = new ConcurrentHashMap<>();

    /**
     * @param limit  uploads admitted per user in any window (at least 1)
     * @param window the length of the window (one minute in the contract)
     */
    public UploadRateLimiter(int limit, Duration window) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1; it is " + limit);
        }
        this.limit = limit;
        this.windowNanos = window.toNanos();
    }

    public Duration window() {
        return Duration.ofNanos(windowNanos);
    }

    /**
     * Admits one upload of {@code user} at {@code nowNanos} (a {@link System#nanoTime()} reading) if fewer than the
     * limit were admitted in the window before it, and counts it.
     *
     * @return empty when admitted; else the whole seconds (at least 1) until the oldest counted upload leaves the
     * window, for {@code Retry-After}
     */
    public OptionalLong tryAcquire(String user, long nowNanos) {
        long[] retryAfter = {0};
        // compute runs atomically for the user's key, so a concurrent prune cannot lose a count
        admitted.compute(user, (u, times) -> {
            ArrayDeque<Long> kept = times == null ? new ArrayDeque<>() : times;
            while (!kept.isEmpty() && nowNanos - kept.peekFirst() >= windowNanos) {
                kept.pollFirst();
            }
            if (kept.size() < limit) {
                kept.addLast(nowNanos);
            } else {
                long waitNanos = kept.peekFirst() + windowNanos - nowNanos;
                retryAfter[0] = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
            }
            return kept;
        });
        return retryAfter[0] == 0 ? OptionalLong.empty() : OptionalLong.of(retryAfter[0]);
    }

    /** Forgets users with nothing counted in the window that ends at {@code nowNanos}. */
    public void prune(long nowNanos) {
        for (String user : admitted.keySet()) {
            admitted.computeIfPresent(
                    user, (u, times) -> times.isEmpty() || nowNanos - times.peekLast() >= windowNanos ? null : times);
        }
    }
}

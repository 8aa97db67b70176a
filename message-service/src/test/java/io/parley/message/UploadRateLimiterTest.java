package io.parley.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.message.domain.UploadRateLimiter;
import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The sliding window of uploads per user and minute, on a clock the test moves. */
class UploadRateLimiterTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void theLimitHoldsInAnySlidingMinuteAndRetryAfterSaysWhenTheOldestLeaves() {
        UploadRateLimiter limiter = new UploadRateLimiter(3, Duration.ofMinutes(1));
        long t0 = 5_000 * SECOND;
        assertThat(limiter.tryAcquire("ann", t0)).isEmpty();
        assertThat(limiter.tryAcquire("ann", t0 + 10 * SECOND)).isEmpty();
        assertThat(limiter.tryAcquire("ann", t0 + 20 * SECOND)).isEmpty();
        // the fourth within the minute of the first: refused until the first is 60 s old
        assertThat(limiter.tryAcquire("ann", t0 + 30 * SECOND)).isEqualTo(OptionalLong.of(30));
        assertThat(limiter.tryAcquire("ann", t0 + 59 * SECOND + 1)).isEqualTo(OptionalLong.of(1));
        // others are counted apart
        assertThat(limiter.tryAcquire("bob", t0 + 30 * SECOND)).isEmpty();
        // refused attempts are not counted: at 60 s the first has left and one more is admitted
        assertThat(limiter.tryAcquire("ann", t0 + 60 * SECOND)).isEmpty();
        assertThat(limiter.tryAcquire("ann", t0 + 61 * SECOND)).isEqualTo(OptionalLong.of(9));
        assertThat(limiter.tryAcquire("ann", t0 + 70 * SECOND)).isEmpty();
    }

    @Test
    void idleUsersAreForgotten() {
        UploadRateLimiter limiter = new UploadRateLimiter(1, Duration.ofMinutes(1));
        assertThat(limiter.tryAcquire("ann", 0)).isEmpty();
        assertThat(limiter.tryAcquire("bob", 30 * SECOND)).isEmpty();
        limiter.prune(61 * SECOND);
        // ann was forgotten (a fresh window); bob still counts
        assertThat(limiter.tryAcquire("ann", 61 * SECOND)).isEmpty();
        assertThat(limiter.tryAcquire("bob", 61 * SECOND)).isEqualTo(OptionalLong.of(29));
    }
}

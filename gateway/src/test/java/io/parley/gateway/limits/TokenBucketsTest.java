package io.parley.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Token buckets per key, on a clock the test moves: what each key may take, and what the map holds. */
class TokenBucketsTest {

    final AtomicLong now = new AtomicLong(1_000_000_000L);

    TokenBuckets buckets(double rate, double burst, long maxKeys) {
        return new TokenBuckets(rate, burst, maxKeys, now::get);
    }

    void advance(long millis) {
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    @Test
    void aKeyTakesItsBurstThenIsToldHowLongToWait() {
        TokenBuckets limiter = buckets(2, 3, 100);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.acquire("a")).isZero();
        }
        // empty: one token comes back after half a second at 2 a second
        assertThat(limiter.acquire("a")).isCloseTo(TimeUnit.MILLISECONDS.toNanos(500), within(1000L));
        advance(200);
        assertThat(limiter.acquire("a")).isCloseTo(TimeUnit.MILLISECONDS.toNanos(300), within(1000L));
        advance(300);
        assertThat(limiter.acquire("a")).isZero();
        assertThat(limiter.acquire("a")).isPositive();
        // another key has an allowance of its own
        assertThat(limiter.acquire("b")).isZero();
    }

    @Test
    void aRefusedAttemptTakesNothing() {
        TokenBuckets limiter = buckets(1, 1, 100);
        assertThat(limiter.acquire("a")).isZero();
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.acquire("a")).isPositive();
        }
        advance(1000);
        assertThat(limiter.acquire("a")).isZero();
    }

    @Test
    void aBucketIsForgottenOnceItWouldBeFullAgainAndNoAnswerChanges() {
        TokenBuckets limiter = buckets(10, 20, 1000);
        for (int i = 0; i < 20; i++) {
            assertThat(limiter.acquire("busy")).isZero();
        }
        advance(1000);
        // kept: ten tokens came back, not a fresh bucket of twenty
        for (int i = 0; i < 10; i++) {
            assertThat(limiter.acquire("busy")).isZero();
        }
        assertThat(limiter.acquire("busy")).isPositive();
        assertThat(limiter.size()).isEqualTo(1);
        // untouched for the 2 s an empty bucket takes to fill: forgotten, and it starts full, as it would have been
        advance(2001);
        assertThat(limiter.size()).isZero();
        for (int i = 0; i < 20; i++) {
            assertThat(limiter.acquire("busy")).isZero();
        }
        assertThat(limiter.acquire("busy")).isPositive();
    }

    @Test
    void theMapNeverHoldsMoreThanItsBound() {
        TokenBuckets limiter = buckets(1, 100, 50);
        for (int i = 0; i < 10_000; i++) {
            limiter.acquire("address-" + i);
        }
        assertThat(limiter.size()).isLessThanOrEqualTo(50);
    }

    @Test
    void retryAfterIsWholeSecondsRoundedUpAndAtLeastOne() {
        assertThat(TokenBuckets.retryAfterSeconds(1)).isEqualTo(1);
        assertThat(TokenBuckets.retryAfterSeconds(1_000_000_000L)).isEqualTo(1);
        assertThat(TokenBuckets.retryAfterSeconds(1_000_000_001L)).isEqualTo(2);
        assertThat(TokenBuckets.retryAfterSeconds(0)).isEqualTo(1);
    }

    @Test
    void aRateOrBurstThatCannotWorkIsRefused() {
        assertThatThrownBy(() -> buckets(0, 1, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> buckets(1, 0.5, 10)).isInstanceOf(IllegalArgumentException.class);
    }
}

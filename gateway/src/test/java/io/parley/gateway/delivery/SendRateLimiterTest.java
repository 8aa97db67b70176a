package io.parley.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The token bucket of sends per user. */
class SendRateLimiterTest {

    @Test
    void aBurstIsAllowedThenTheWaitIsTold() {
        SendRateLimiter limiter = new SendRateLimiter(2, 3);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.acquire("a")).isZero();
        }
        double wait = limiter.acquire("a");
        assertThat(wait).isGreaterThan(0).isLessThanOrEqualTo(0.5);
        // another user has an allowance of their own
        assertThat(limiter.acquire("b")).isZero();
    }
}

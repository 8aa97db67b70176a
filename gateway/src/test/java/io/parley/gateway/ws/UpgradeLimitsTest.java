package io.parley.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The count of open connections per user: bounded, and emptied by the closes. */
class UpgradeLimitsTest {

    @Test
    void aUserOpensUpToTheLimitAndAgainOnceOneCloses() {
        UpgradeLimits limits = new UpgradeLimits(0, 10, 2, 25);
        assertThat(limits.tryOpen("ann")).isTrue();
        assertThat(limits.tryOpen("ann")).isTrue();
        assertThat(limits.tryOpen("ann")).isFalse();
        assertThat(limits.openOf("ann")).isEqualTo(2); // a refused one is not counted
        assertThat(limits.tryOpen("bob")).isTrue();
        limits.closed("ann");
        assertThat(limits.tryOpen("ann")).isTrue();
    }

    @Test
    void aUserWithoutConnectionsHoldsNothing() {
        UpgradeLimits limits = new UpgradeLimits(0, 10, 20, 25);
        for (int i = 0; i < 1000; i++) {
            limits.tryOpen("user-" + i);
            limits.tryOpen("user-" + i);
        }
        assertThat(limits.users()).isEqualTo(1000);
        for (int i = 0; i < 1000; i++) {
            limits.closed("user-" + i);
            limits.closed("user-" + i);
        }
        assertThat(limits.users()).isZero();
        limits.closed("never-opened"); // a close that was not counted changes nothing
        assertThat(limits.users()).isZero();
    }
}

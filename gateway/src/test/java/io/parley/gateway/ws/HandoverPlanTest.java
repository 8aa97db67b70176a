package io.parley.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The pace of the hand-over: a replica's connections closed evenly over the window, every one of them by its end. */
class HandoverPlanTest {

    @Test
    void twoThousandConnectionsOverFiveSecondsCloseTwentyEveryFiftyMilliseconds() {
        Duration window = Duration.ofSeconds(5);
        int before = 0;
        for (long ms = 0; ms <= 5_000; ms += Handover.STEP.toMillis()) {
            int due = Handover.dueBy(2_000, window, Duration.ofMillis(ms));
            assertThat(due - before)
                    .as("closed in the step ending at " + ms + " ms")
                    .isBetween(0, 20);
            before = due;
        }
        assertThat(before).isEqualTo(2_000);
        assertThat(Handover.dueBy(2_000, window, Duration.ofMillis(2_500))).isEqualTo(1_000);
    }

    @Test
    void nothingIsClosedBeforeTheStartAndEverythingByTheEnd() {
        Duration window = Duration.ofSeconds(5);
        assertThat(Handover.dueBy(3, window, Duration.ZERO)).isZero();
        assertThat(Handover.dueBy(3, window, Duration.ofMillis(1))).isEqualTo(1);
        assertThat(Handover.dueBy(3, window, Duration.ofSeconds(5))).isEqualTo(3);
        assertThat(Handover.dueBy(3, window, Duration.ofSeconds(60))).isEqualTo(3);
        assertThat(Handover.dueBy(0, window, Duration.ofSeconds(1))).isZero();
    }

    @Test
    void aZeroWindowClosesEverythingAtOnce() {
        assertThat(Handover.dueBy(2_000, Duration.ZERO, Duration.ZERO)).isEqualTo(2_000);
    }
}

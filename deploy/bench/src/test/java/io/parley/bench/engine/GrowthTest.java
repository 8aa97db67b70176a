package io.parley.bench.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a soak run tells a bounded quantity from one that grows with the traffic. */
class GrowthTest {

    /** 21 samples, one every 10 s at 100 messages a second, the value of sample {@code i} given. */
    private static List<Growth.Sample> samples(java.util.function.IntToLongFunction value) {
        List<Growth.Sample> out = new ArrayList<>();
        for (int i = 0; i <= 20; i++) {
            out.add(new Growth.Sample(10.0 * i, 1000L * i, value.applyAsLong(i)));
        }
        return out;
    }

    @Test
    void aTableThatKeepsEveryMessageGrowsOneRowPerMessage() {
        Growth.Verdict v = Growth.judge(samples(i -> 1000L * i), 50, 0.2, 10);
        assertThat(v.growing()).isTrue();
        assertThat(v.perMessage()).isEqualTo(1.0);
        assertThat(v.first()).isEqualTo(5000);
        assertThat(v.last()).isEqualTo(20_000);
        assertThat(v.countedSamples()).isEqualTo(16);
    }

    @Test
    void aPrunedTableSawToothsBetweenTheSameMarksAndIsBounded() {
        // fills during the retention window, then is pruned back every third sample
        Growth.Verdict v = Growth.judge(samples(i -> i < 5 ? 1000L * i : 4000 + 1000L * (i % 3)), 50, 0.2, 10);
        assertThat(v.growing()).isFalse();
        assertThat(v.firstPeak()).isEqualTo(6000);
        assertThat(v.secondPeak()).isEqualTo(6000);
    }

    @Test
    void growthBeforeTheSettleTimeDoesNotCount() {
        Growth.Verdict v = Growth.judge(samples(i -> Math.min(i, 5) * 1000L), 50, 0.2, 10);
        assertThat(v.growing()).isFalse();
        assertThat(v.perMessage()).isZero();
    }

    @Test
    void aSlowLeakBeyondTheToleranceIsGrowing() {
        Growth.Verdict slow = Growth.judge(samples(i -> 100_000 + 5_000L * i), 50, 0.2, 10);
        assertThat(slow.growing()).isTrue();
        Growth.Verdict withinSlack = Growth.judge(samples(i -> 100 + i / 4), 50, 0.2, 10);
        assertThat(withinSlack.growing()).isFalse();
    }

    @Test
    void whatTheRunAddsCountsNotWhatTheTableHeldBefore() {
        // a million rows before the run, one more per message during it: 1.5 % more, still growing with the traffic
        List<Growth.Sample> history = samples(i -> 1_000_000 + 1000L * i);
        assertThat(Growth.judge(history, 50, 0.2, 10).growing()).isFalse();
        assertThat(Growth.judge(history, 50, 0, 10, 0.05).growing()).isTrue();
        assertThat(Growth.judge(samples(i -> 1_000_000 + (i % 3) * 300), 50, 0, 10, 0.05)
                        .growing())
                .isFalse();
    }

    @Test
    void tooFewSamplesAfterTheSettleTimeAreNotJudgedGrowing() {
        Growth.Verdict v = Growth.judge(samples(i -> 1000L * i), 180, 0.2, 10);
        assertThat(v.countedSamples()).isEqualTo(3);
        assertThat(v.growing()).isFalse();
        assertThatThrownBy(() -> Growth.judge(List.of(), 0, 0.2, 10)).isInstanceOf(IllegalArgumentException.class);
    }
}

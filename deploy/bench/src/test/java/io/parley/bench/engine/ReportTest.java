package io.parley.bench.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** Percentiles, rounding and the summary table, from figures made up here. */
class ReportTest {

    @Test
    void percentilesAreInMillisecondsWithTwoDecimals() {
        Histogram h = Report.histogram(60);
        for (int ms = 1; ms <= 100; ms++) {
            h.recordValue(ms * 1_000_000L);
        }
        JsonObject p = Report.percentiles(h);
        assertThat(p.fieldNames()).containsExactly("count", "p50", "p90", "p99", "p99.9", "max");
        assertThat(p.getLong("count")).isEqualTo(100);
        assertThat(p.getDouble("p50")).isCloseTo(50.0, within(0.1));
        assertThat(p.getDouble("p90")).isCloseTo(90.0, within(0.1));
        assertThat(p.getDouble("p99")).isCloseTo(99.0, within(0.1));
        assertThat(p.getDouble("max")).isCloseTo(100.0, within(0.1));
        assertThat(Report.ms(1_234_567)).isEqualTo(1.23);
        assertThat(Report.ms(1_235_000)).isEqualTo(1.24);
        assertThat(Report.round(2.345678)).isEqualTo(2.35);
    }

    @Test
    void anEmptyHistogramIsAllZero() {
        JsonObject p = Report.percentiles(Report.histogram(1));
        assertThat(p.getLong("count")).isZero();
        assertThat(p.getDouble("p99")).isZero();
    }

    @Test
    void theTableHasALinePerRunAndTheSummaries() {
        JsonObject results = new JsonObject()
                .put(
                        "scenarios",
                        new JsonArray()
                                .add(new JsonObject()
                                        .put("scenario", "pairs")
                                        .put(
                                                "runs",
                                                new JsonArray().add(run(100)).add(run(500))))
                                .add(new JsonObject()
                                        .put("scenario", "max")
                                        .put("trials", new JsonArray().add(run(20)))
                                        .put("held", run(20))
                                        .put("highestRate", 20)
                                        .put("p99TargetMs", 100.0))
                                .add(run(0).put("scenario", "fanout").put("lastDeliveryMs", latency(9.5)))
                                .add(new JsonObject()
                                        .put("scenario", "idle")
                                        .put("held", 20L)
                                        .put("asked", 20L)
                                        .put("gatewayRssMiBBefore", 100.0)
                                        .put("gatewayRssMiBAfter", 110.5)
                                        .put("kibPerConnection", 23.6)
                                        .put("gatewayHeapMiBBefore", 18.0)
                                        .put("gatewayHeapMiBAfter", 20.0)
                                        .put("heapKibPerConnection", 15.1))
                                .add(run(10).put("scenario", "storm").put("allResumedSeconds", 2.5)));
        String[] lines = Report.table(results).split("\n");
        assertThat(lines[0]).startsWith("run").contains("delivered", "p50 ms", "p99.9 ms", "lost", "dup", "conns");
        assertThat(lines[1])
                .isEqualTo(String.format(
                        "%-22s %9d %8.2f %8.2f %8.2f %8.2f %8.2f %6d %5d %7d",
                        "pairs 100/s", 300, 1.5, 2.5, 3.5, 4.5, 5.5, 0, 0, 6));
        assertThat(lines)
                .extracting(l -> l.split(" {2,}")[0])
                .contains(
                        "pairs 500/s",
                        "max trial 20/s",
                        "max held 20/s",
                        "fanout all deliveries",
                        "fanout last member",
                        "storm SIGKILL (resumed 2.5 s)");
        assertThat(lines)
                .contains(
                        "max: highest rate held with p99 <= 100.0 ms: 20 msg/s",
                        "idle: 20 of 20 connections held; gateway RSS 100.0 -> 110.5 MiB: 23.6 KiB per connection; "
                                + "live heap after a full GC 18.0 -> 20.0 MiB: 15.1 KiB each");
        assertThat(String.join("\n", lines)).contains("fanout last member           300     9.50");
    }

    @Test
    void theOtherBenchmarksLinesKeepTheirShape() {
        Histogram h = Report.histogram(60);
        h.recordValue(2_000_000);
        assertThat(Report.latencyLine("at the conversation-service", h))
                .matches(
                        "at the conversation-service, ms: p50 2\\.00  p90 2\\.00  p99 2\\.00  p99\\.9 2\\.00  max 2\\.00");
        assertThat(Report.latencyWithCount(h))
                .matches("latency ms: p50 2\\.00  p90 2\\.00  p99 2\\.00  p99\\.9 2\\.00  max 2\\.00  \\(n=1\\)");
    }

    @Test
    void theHeapIsTheSumOfTheGenerationsUsedSpace() {
        String info = """
                 PSYoungGen      total 76288K, used 1310K [0x...)
                  eden space 65536K, 2% used
                 ParOldGen       total 175104K, used 17000K [0x...)
                 Metaspace       used 60000K, committed 61000K
                """;
        assertThat(Jvm.usedKb(info)).isEqualTo(18_310);
        assertThat(Jvm.usedKb("nothing")).isZero();
    }

    private static JsonObject run(int rate) {
        return new JsonObject()
                .put("rate", rate)
                .put("delivered", 300L)
                .put("lost", 0L)
                .put("duplicated", 0L)
                .put("connections", 6L)
                .put("latencyMs", latency(1.5));
    }

    private static JsonObject latency(double p50) {
        return new JsonObject()
                .put("p50", p50)
                .put("p90", p50 + 1)
                .put("p99", p50 + 2)
                .put("p99.9", p50 + 3)
                .put("max", p50 + 4);
    }
}

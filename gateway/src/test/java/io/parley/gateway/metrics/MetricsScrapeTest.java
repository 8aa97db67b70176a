package io.parley.gateway.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.infra.MetricsScrape;
import org.junit.jupiter.api.Test;

/**
 * The tests' reading of a scrape, on the lines a registry writes: with OpenTelemetry in the build, Micrometer's
 * Prometheus registry appends OpenMetrics exemplars to histogram samples, which must not become part of the series.
 */
class MetricsScrapeTest {

    @Test
    void samplesWithExemplarsLabelsWithBracesAndSpacesAndPlainOnes() {
        MetricsScrape scrape = MetricsScrape.ofText(String.join(
                "\n",
                "# TYPE parley_delivery_latency_seconds histogram",
                "parley_delivery_latency_seconds_count 2.0 # {span_id=\"00f067aa0ba902b7\",trace_id=\"4bf92f3577b34da6a3ce929d0e0e4736\"} 0.004 1796064942.257",
                "parley_delivery_latency_seconds_bucket{le=\"0.1\"} 2.0 # {trace_id=\"x\"} 0.004",
                "parley_ws_closes_total{code=\"1000\",reason=\"a } b\\\" c\"} 3.0",
                "process_uptime_seconds 12.5 1796064942257",
                "parley_outbox_depth NaN"));
        assertThat(scrape.value("parley_delivery_latency_seconds_count")).isEqualTo(2.0);
        assertThat(scrape.value("parley_delivery_latency_seconds_bucket{le=\"0.1\"}"))
                .isEqualTo(2.0);
        assertThat(scrape.value("parley_ws_closes_total{code=\"1000\",reason=\"a } b\\\" c\"}"))
                .isEqualTo(3.0);
        assertThat(scrape.value("process_uptime_seconds")).isEqualTo(12.5);
        assertThat(scrape.has("parley_outbox_depth")).isTrue();
        assertThat(scrape.names())
                .containsExactlyInAnyOrder(
                        "parley_delivery_latency_seconds_count",
                        "parley_delivery_latency_seconds_bucket",
                        "parley_ws_closes_total",
                        "process_uptime_seconds",
                        "parley_outbox_depth");
    }
}

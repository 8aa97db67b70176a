package io.parley.notification.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.parley.notification.client.PushOutcome;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** When the dispatcher sends a delivery again, and the key that collapses a conversation's alerts. */
class AlertDispatcherTest {

    @ParameterizedTest(name = "attempt {0}: {1} ms and up to a quarter more")
    @CsvSource({
        "1, 1000",
        "2, 2000",
        "3, 4000",
        "4, 8000",
        "5, 16000",
        "9, 256000",
        "10, 300000",
        "30, 300000",
        "64, 300000"
    })
    void theBackoffDoublesUpToFiveMinutesWithAQuarterAtRandom(int attempts, long baseMillis) {
        for (int i = 0; i < 50; i++) {
            assertThat(AlertDispatcher.backoff(attempts).toMillis()).isBetween(baseMillis, baseMillis + baseMillis / 4);
        }
    }

    @RepeatedTest(5)
    void retriesSpreadOut() {
        long distinct = java.util.stream.IntStream.range(0, 20)
                .mapToObj(i -> AlertDispatcher.backoff(8))
                .distinct()
                .count();
        assertThat(distinct).isGreaterThan(1);
    }

    @Test
    void aRetryAfterFromTheServiceWinsOverTheBackoff() {
        PushOutcome busy = new PushOutcome(PushOutcome.Kind.RETRY, 0, Optional.empty(), "unreachable");
        PushOutcome withRetryAfter =
                new PushOutcome(PushOutcome.Kind.RETRY, 429, Optional.of(Duration.ofSeconds(90)), null);

        assertThat(AlertDispatcher.retryIn(withRetryAfter, 1)).contains(Duration.ofSeconds(90));
        assertThat(AlertDispatcher.retryIn(busy, 1).orElseThrow())
                .isBetween(Duration.ofSeconds(1), Duration.ofMillis(1250));
    }

    @Test
    void aDeliveryIsGivenUpAfterItsLastAttempt() {
        PushOutcome busy = new PushOutcome(PushOutcome.Kind.RETRY, 0, Optional.empty(), "unreachable");

        assertThat(AlertDispatcher.retryIn(busy, AlertDispatcher.MAX_ATTEMPTS - 1))
                .isPresent();
        assertThat(AlertDispatcher.retryIn(busy, AlertDispatcher.MAX_ATTEMPTS)).isEmpty();
        assertThat(AlertDispatcher.retryIn(
                        new PushOutcome(PushOutcome.Kind.RETRY, 503, Optional.of(Duration.ofSeconds(5)), null),
                        AlertDispatcher.MAX_ATTEMPTS))
                .isEmpty();
    }

    @Test
    void theCollapseKeyIsTheConversationIn32UrlSafeCharacters() {
        UUID conversation = UUID.fromString("0f8e1c2a-3b4c-4d5e-8f9a-0b1c2d3e4f5a");

        assertThat(AlertDispatcher.collapseKey(conversation))
                .isEqualTo("0f8e1c2a3b4c4d5e8f9a0b1c2d3e4f5a")
                .hasSize(32)
                .matches("[A-Za-z0-9_-]+");
    }

    @Test
    void aPushSpansParentIsTheTraceparentTheAlertKept() {
        SpanContext parent = Span.fromContext(
                        AlertDispatcher.parent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"))
                .getSpanContext();
        assertThat(parent.isValid()).isTrue();
        assertThat(parent.isRemote()).isTrue();
        assertThat(parent.getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        assertThat(parent.getSpanId()).isEqualTo("b7ad6b7169203331");
        assertThat(parent.isSampled()).isTrue();
        // none kept (tracing was off), or one that is not a traceparent: the push begins a trace of its own
        assertThat(Span.fromContext(AlertDispatcher.parent(null))
                        .getSpanContext()
                        .isValid())
                .isFalse();
        assertThat(Span.fromContext(AlertDispatcher.parent("00-zz-yy-01"))
                        .getSpanContext()
                        .isValid())
                .isFalse();
    }
}

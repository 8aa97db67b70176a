package io.parley.notification.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.notification.client.PushOutcome.Kind;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a push service's HTTP status means for the delivery: done, forget the device, retry, or drop. */
class PushOutcomeTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "200, DELIVERED",
        "201, DELIVERED",
        "204, DELIVERED",
        "404, GONE",
        "410, GONE",
        "429, RETRY",
        "500, RETRY",
        "502, RETRY",
        "503, RETRY",
        "400, REFUSED",
        "401, REFUSED",
        "403, REFUSED",
        "413, REFUSED",
        "301, REFUSED"
    })
    void eachStatusHasItsKind(int status, Kind kind) {
        PushOutcome outcome = PushOutcome.of(status, null);
        assertThat(outcome.kind()).isEqualTo(kind);
        assertThat(outcome.status()).isEqualTo(status);
    }

    @Test
    void onlyARetryCarriesTheServicesRetryAfter() {
        assertThat(PushOutcome.of(503, "120").retryAfter()).contains(Duration.ofSeconds(120));
        assertThat(PushOutcome.of(429, "7").retryAfter()).contains(Duration.ofSeconds(7));
        assertThat(PushOutcome.of(410, "120").retryAfter()).isEmpty();
        assertThat(PushOutcome.of(400, "120").retryAfter()).isEmpty();
    }

    @Test
    void retryAfterIsSecondsOrAnHttpDate() {
        assertThat(PushOutcome.parseRetryAfter(" 30 ")).contains(Duration.ofSeconds(30));
        assertThat(PushOutcome.parseRetryAfter("-5")).contains(Duration.ZERO);
        String inAMinute = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                Instant.now().plusSeconds(60).atOffset(ZoneOffset.UTC));
        assertThat(PushOutcome.parseRetryAfter(inAMinute).orElseThrow())
                .isBetween(Duration.ofSeconds(55), Duration.ofSeconds(60));
        String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                Instant.now().minusSeconds(60).atOffset(ZoneOffset.UTC));
        assertThat(PushOutcome.parseRetryAfter(past)).contains(Duration.ZERO);
    }

    @Test
    void anythingElseIsNoRetryAfter() {
        assertThat(PushOutcome.parseRetryAfter(null)).isEmpty();
        assertThat(PushOutcome.parseRetryAfter("")).isEmpty();
        assertThat(PushOutcome.parseRetryAfter("  ")).isEmpty();
        assertThat(PushOutcome.parseRetryAfter("soon")).isEmpty();
        assertThat(PushOutcome.parseRetryAfter("1.5")).isEmpty();
    }

    @Test
    void unreachableIsRetriedAndNotConfiguredIsDropped() {
        PushOutcome unreachable = PushOutcome.unreachable("connection refused");
        assertThat(unreachable.kind()).isEqualTo(Kind.RETRY);
        assertThat(unreachable.status()).isZero();
        assertThat(unreachable.retryAfter()).isEmpty();
        assertThat(unreachable.detail()).isEqualTo("connection refused");
        assertThat(PushOutcome.notConfigured().kind()).isEqualTo(Kind.NOT_CONFIGURED);
        assertThat(PushOutcome.gone(400, "BadDeviceToken").kind()).isEqualTo(Kind.GONE);
    }
}

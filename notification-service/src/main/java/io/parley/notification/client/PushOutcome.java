package io.parley.notification.client;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * What a push service answered: taken (2xx), gone for good (the device is unregistered: its subscription is
 * deleted), worth retrying (429, 5xx, unreachable; with the service's Retry-After when it gave one), or refused.
 */
public record PushOutcome(Kind kind, int status, Optional<Duration> retryAfter, String detail) {

    /** What the dispatcher does with the delivery: done, forget the device, retry, drop, or drop (no sender). */
    public enum Kind {
        DELIVERED,
        GONE,
        RETRY,
        REFUSED,
        NOT_CONFIGURED
    }

    /** The outcome of an HTTP status: 2xx delivered; 404, 410 gone; 429, 5xx retried (Retry-After); else refused. */
    static PushOutcome of(int status, String retryAfter) {
        if (status >= 200 && status < 300) {
            return new PushOutcome(Kind.DELIVERED, status, Optional.empty(), null);
        }
        if (status == 404 || status == 410) {
            return new PushOutcome(Kind.GONE, status, Optional.empty(), null);
        }
        if (status == 429 || status >= 500) {
            return new PushOutcome(Kind.RETRY, status, parseRetryAfter(retryAfter), null);
        }
        return new PushOutcome(Kind.REFUSED, status, Optional.empty(), null);
    }

    /** The device will never take an alert again (its token or endpoint is unregistered). */
    static PushOutcome gone(int status, String detail) {
        return new PushOutcome(Kind.GONE, status, Optional.empty(), detail);
    }

    PushOutcome withDetail(String detail) {
        return new PushOutcome(kind, status, retryAfter, detail);
    }

    static PushOutcome unreachable(String detail) {
        return new PushOutcome(Kind.RETRY, 0, Optional.empty(), detail);
    }

    /** @return the outcome of a kind of device that no sender is configured for */
    public static PushOutcome notConfigured() {
        return new PushOutcome(Kind.NOT_CONFIGURED, 0, Optional.empty(), null);
    }

    /** Retry-After as seconds or as an HTTP date (RFC 9110); anything else is ignored. */
    static Optional<Duration> parseRetryAfter(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim()))));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
                return Optional.of(
                        Duration.between(Instant.now(), at).isNegative()
                                ? Duration.ZERO
                                : Duration.between(Instant.now(), at));
            } catch (RuntimeException notADate) {
                return Optional.empty();
            }
        }
    }
}

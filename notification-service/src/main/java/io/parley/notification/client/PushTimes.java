package io.parley.notification.client;

import java.time.Duration;

/** The times every push sender shares. */
final class PushTimes {

    /** How long a push service keeps an alert for a device that is offline: a day. */
    static final Duration TTL = Duration.ofDays(1);
    /** Connecting to a push service. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** A push service's whole answer to one request. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private PushTimes() {}
}

package io.parley.gateway.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import java.net.URI;
import java.time.Duration;

/**
 * Every setting of the gateway, under {@code parley}: the services it calls ({@code parley.*.url}) and its own
 * ({@code parley.gateway.*}). Names and environment variables are those README documents; the defaults are in
 * application.properties (one place), with the reasons for them.
 */
@ConfigMapping(prefix = "parley")
public interface GatewayConfig {

    /** The conversation-service. */
    Upstream conversation();

    /** The message-service. */
    Upstream message();

    /** The notification-service. */
    Upstream notification();

    /** The gateway's own settings. */
    Gateway gateway();

    /** A service behind the gateway. */
    interface Upstream {
        /** Its base URL ({@code parley.<service>.url}): where {@code /api/**} is forwarded and frames are sent. */
        URI url();
    }

    /** {@code parley.gateway.*}. */
    interface Gateway {

        /** The largest request body forwarded ({@code max-body-size}); a larger Content-Length is answered 413. */
        MemorySize maxBodySize();

        /**
         * This process's identity among the gateway instances ({@code instance}, a fresh UUID at each start): its
         * consumer groups and its rows of presence.
         */
        String instance();

        /** How often the server pings every connection ({@code ping-interval}). */
        Duration pingInterval();

        /** How long a client may send nothing (no frame, no pong) before it is taken for gone ({@code idle-timeout}). */
        Duration idleTimeout();

        /** Sends per user and second on one instance ({@code send-rate}). */
        double sendRate();

        /** The burst of sends allowed above the rate ({@code send-burst}). */
        double sendBurst();

        /** How often this instance beats ({@code heartbeat-interval}). */
        Duration heartbeatInterval();

        /** How long an instance may stay silent before the others take it for dead ({@code dead-after}). */
        Duration deadAfter();

        /**
         * On shutdown, the window over which the instance closes its WebSockets (1012) so that their clients reconnect
         * to the other instances a few at a time ({@code shutdown-drain}; io.parley.gateway.ws.Handover).
         */
        Duration shutdownDrain();
    }
}

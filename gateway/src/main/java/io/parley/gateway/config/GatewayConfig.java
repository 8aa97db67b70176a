package io.parley.gateway.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

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

    /** How tokens are read, shared with every service (service-kit's defaults). */
    Jwt jwt();

    /** What the web app is told at {@code GET /config.json} (api/WebConfigResource). */
    Web web();

    /** {@code parley.jwt.*}. */
    interface Jwt {
        /**
         * Where a token holds the caller's role ({@code role-claim}, {@code PARLEY_JWT_ROLE_CLAIM}; service-kit's
         * default {@code groups}): member names from the top of the payload joined by {@code /}, as SmallRye JWT's
         * {@code smallrye.jwt.path.groups} reads it.
         */
        String roleClaim();
    }

    /** {@code parley.web.*}. */
    interface Web {
        /** The OpenID Connect issuer the app signs in with ({@code parley.web.oidc.*}); none set: fragment sign-in. */
        Oidc oidc();
    }

    /**
     * {@code parley.web.oidc.*}: the app's sign-in with an OpenID Connect provider (authorization code with PKCE, a
     * public client). Both {@link #authority()} and {@link #clientId()} set, or neither (config/WebOidc checks).
     */
    interface Oidc {
        /**
         * The issuer's URL ({@code authority}), where {@code /.well-known/openid-configuration} is found (OpenID
         * Connect Discovery 1.0 section 4), e.g. {@code https://id.example.com/realms/parley}.
         */
        Optional<String> authority();

        /** The app's public client at the provider ({@code client-id}). */
        Optional<String> clientId();

        /** The scopes the app asks for ({@code scope}, space-separated); unset: the app's {@code openid profile}. */
        Optional<String> scope();
    }

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

        /**
         * REST calls under {@code /api} per user (the token's {@code sub}; per remote address without a valid token)
         * and second on one instance ({@code api-rate}); beyond it and {@link #apiBurst()}, {@code 429} with
         * {@code Retry-After}.
         */
        double apiRate();

        /** The burst of REST calls allowed above {@link #apiRate()} ({@code api-burst}). */
        double apiBurst();

        /**
         * WebSocket upgrade attempts per remote address within {@link #upgradeWindow()} on one instance
         * ({@code upgrade-attempts}; they come back evenly over the window); beyond, {@code 429} with
         * {@code Retry-After}. 0: no limit.
         */
        int upgradeAttempts();

        /** The window of {@link #upgradeAttempts()} ({@code upgrade-window}). */
        Duration upgradeWindow();

        /**
         * Open WebSocket connections per user on one instance ({@code connections-per-user}); a further upgrade is
         * refused with {@code 429}.
         */
        int connectionsPerUser();

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

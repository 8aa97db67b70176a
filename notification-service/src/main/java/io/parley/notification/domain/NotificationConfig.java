package io.parley.notification.domain;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * The notification-service's own settings ({@code parley.notification.*}, {@code parley.push.*} and
 * {@code parley.processed-events.*}), with their
 * defaults: the one place they are defined. Each is documented in application.properties; env vars are the
 * MicroProfile forms ({@code PARLEY_PUSH_PREVIEW}, {@code PARLEY_NOTIFICATION_GRACE_DELAY}...). Three mapping roots,
 * not one at {@code parley}: a root there would refuse every other {@code parley.*} key of the service's
 * configuration (the service-kit's {@code parley.outbox.*}, the tests' {@code parley.test.*}) as unknown.
 */
public final class NotificationConfig {

    private NotificationConfig() {}

    /** {@code parley.notification.*}. */
    @ConfigMapping(prefix = "parley.notification")
    public interface Notification {
        /** How long a message may stay unread before its recipients are alerted. */
        @WithDefault("30s")
        Duration graceDelay();
    }

    /** {@code parley.processed-events.*}: the ids of consumed events, kept to drop redeliveries. */
    @ConfigMapping(prefix = "parley.processed-events")
    public interface ProcessedEvents {
        /**
         * How long a consumed event's id is remembered, so that a redelivery of it is dropped; far beyond any window
         * in which Kafka can deliver it again (docs/architecture.md, "Event contract").
         */
        @WithDefault("7d")
        Duration retention();

        /**
         * How often ids older than the retention are deleted (ten minutes by default; a soak test shortens it with the
         * retention, docs/benchmarks.md).
         */
        @WithDefault("10m")
        Duration pruneInterval();
    }

    /** {@code parley.push.*}. */
    @ConfigMapping(prefix = "parley.push")
    public interface Push {
        /** How often due alerts become deliveries and due deliveries are sent. */
        @WithDefault("250ms")
        Duration tick();

        /** What an alert shows: {@code full}, {@code sender} or {@code none} (see {@link AlertText}). */
        @WithDefault("sender")
        String preview();

        /** Whether Web Push endpoints may be http on a loopback address (the local stack, tests). */
        @WithDefault("false")
        boolean allowLoopbackHttp();

        /** {@code parley.push.vapid.*}: Web Push. */
        Vapid vapid();

        /** {@code parley.push.fcm.*}: Firebase Cloud Messaging. */
        Fcm fcm();

        /** {@code parley.push.apns.*}: Apple Push Notification service. */
        Apns apns();
    }

    /** The VAPID key pair, given as two keys or as a file holding both; without either, Web Push is off. */
    public interface Vapid {
        /** The base64 X.509 public key. */
        Optional<String> publicKey();

        /** The base64 PKCS#8 private key. */
        Optional<String> privateKey();

        /** A file holding both keys (a line each), made on first start when it does not exist. */
        Optional<String> keysFile();

        /** Whom push services contact about this server. */
        @WithDefault("mailto:push@parley.invalid")
        String subject();
    }

    /** FCM HTTP v1; without a credentials file FCM alerts are off. */
    public interface Fcm {
        /** The service account's JSON key file. */
        Optional<String> credentialsFile();

        /** The project; the credentials file's project_id when absent. */
        Optional<String> projectId();

        /** Google's API, unless a test stands in for it. */
        @WithDefault("https://fcm.googleapis.com")
        String url();
    }

    /** APNs with token authentication; without a key file APNs alerts are off. */
    public interface Apns {
        /** The team's .p8 signing key. */
        Optional<String> keyFile();

        /** The signing key's id. */
        Optional<String> keyId();

        /** The team id. */
        Optional<String> teamId();

        /** The app's bundle id. */
        Optional<String> topic();

        /** {@code production} or {@code sandbox}: Apple's server to use. */
        @WithDefault("production")
        String environment();

        /** Another server (host:port), for tests. */
        Optional<String> server();

        /** The certificate that {@link #server()} shows, for tests. */
        Optional<String> trustedCertificate();
    }
}

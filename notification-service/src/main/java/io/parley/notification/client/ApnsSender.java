package io.parley.notification.client;

import com.eatthepath.pushy.apns.ApnsClient;
import com.eatthepath.pushy.apns.ApnsClientBuilder;
import com.eatthepath.pushy.apns.DeliveryPriority;
import com.eatthepath.pushy.apns.PushNotificationResponse;
import com.eatthepath.pushy.apns.PushType;
import com.eatthepath.pushy.apns.auth.ApnsSigningKey;
import com.eatthepath.pushy.apns.util.SimpleApnsPayloadBuilder;
import com.eatthepath.pushy.apns.util.SimpleApnsPushNotification;
import io.parley.notification.domain.NotificationConfig;
import io.parley.notification.domain.PushSubscription;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.File;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Apple Push Notification service through pushy: HTTP/2 with token authentication (the team's .p8 signing key, its key
 * id and the team id; pushy signs and renews the provider token), to Apple's production or sandbox server. The alert
 * is a visible notification whose apns-collapse-id is the conversation (a newer alert replaces the older one on the
 * device), thread-id groups it with its conversation, and the badge is the user's total unread. Pushy runs on its own
 * Netty event loop, so APNs being slow or down holds no thread of the service; outcomes come back onto the Vert.x
 * context that asked.
 */
@ApplicationScoped
public class ApnsSender {

    /** Apple's reasons that say the token will never work again: its subscription is deleted. */
    private static final Set<String> GONE = Set.of("BadDeviceToken", "Unregistered");

    private final Optional<ApnsClient> client;
    private final String topic;
    private final Vertx vertx;

    /**
     * @param vertx  the Vert.x whose contexts get the outcomes back
     * @param config {@code parley.push.apns.*}: the signing key (without it APNs is off), its ids, the topic and the
     *               server
     */
    public ApnsSender(Vertx vertx, NotificationConfig.Push config) {
        NotificationConfig.Apns apns = config.apns();
        Optional<String> keyFile = apns.keyFile();
        Optional<String> teamId = apns.teamId();
        Optional<String> keyId = apns.keyId();
        Optional<String> topic = apns.topic();
        String environment = apns.environment();
        Optional<String> server = apns.server();
        Optional<String> trusted = apns.trustedCertificate();
        this.vertx = vertx;
        if (keyFile.isEmpty()) {
            Log.info("No APNs signing key (PARLEY_PUSH_APNS_KEY_FILE): APNs alerts are off");
            this.client = Optional.empty();
            this.topic = null;
            return;
        }
        if (teamId.isEmpty() || keyId.isEmpty() || topic.isEmpty()) {
            throw new IllegalStateException("APNs needs PARLEY_PUSH_APNS_TEAM_ID, PARLEY_PUSH_APNS_KEY_ID and "
                    + "PARLEY_PUSH_APNS_TOPIC (the app's bundle id) beside PARLEY_PUSH_APNS_KEY_FILE");
        }
        this.topic = topic.get();
        try {
            ApnsClientBuilder builder = new ApnsClientBuilder()
                    .setSigningKey(ApnsSigningKey.loadFromPkcs8File(new File(keyFile.get()), teamId.get(), keyId.get()))
                    .setConnectionTimeout(PushTimes.CONNECT_TIMEOUT);
            if (server.isPresent()) {
                int colon = server.get().lastIndexOf(':');
                builder.setApnsServer(
                        server.get().substring(0, colon),
                        Integer.parseInt(server.get().substring(colon + 1)));
            } else {
                builder.setApnsServer(
                        switch (environment) {
                            case "production" -> ApnsClientBuilder.PRODUCTION_APNS_HOST;
                            case "sandbox" -> ApnsClientBuilder.DEVELOPMENT_APNS_HOST;
                            default ->
                                throw new IllegalStateException(
                                        "PARLEY_PUSH_APNS_ENVIRONMENT must be production or sandbox, not "
                                                + environment);
                        });
            }
            if (trusted.isPresent()) {
                builder.setTrustedServerCertificateChain(new File(trusted.get()));
            }
            this.client = Optional.of(builder.build());
        } catch (IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("APNs client not made from " + keyFile.get() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Sends the alert to the device's APNs token.
     *
     * @param alert      the alert's JSON (title, body, badge and the fields for the app)
     * @param collapseId the conversation's key: a newer alert replaces the older one on the device
     * @return Apple's answer as an outcome, on the caller's Vert.x context (never a failure)
     */
    public Uni<PushOutcome> send(PushSubscription device, JsonObject alert, String collapseId) {
        if (client.isEmpty()) {
            return Uni.createFrom().item(PushOutcome.notConfigured());
        }
        Context context = vertx.getDelegate().getOrCreateContext();
        SimpleApnsPushNotification notification = new SimpleApnsPushNotification(
                device.address(),
                topic,
                payload(alert),
                Instant.now().plus(PushTimes.TTL),
                DeliveryPriority.IMMEDIATE,
                PushType.ALERT,
                collapseId);
        return Uni.createFrom()
                .completionStage(() -> client.get().sendNotification(notification))
                .map(ApnsSender::outcome)
                .onFailure()
                .recoverWithItem(e -> PushOutcome.unreachable(e.toString()))
                .emitOn(task -> context.runOnContext(ignored -> task.run()));
    }

    /** The aps dictionary (title, body, badge, sound, thread) and the alert's fields for the app beside it. */
    static String payload(JsonObject alert) {
        SimpleApnsPayloadBuilder payload = new SimpleApnsPayloadBuilder();
        payload.setAlertTitle(alert.getString("title"));
        if (alert.getString("body") != null) {
            payload.setAlertBody(alert.getString("body"));
        }
        payload.setBadgeNumber(alert.getInteger("badge", 0));
        payload.setSound("default");
        payload.setThreadId(alert.getString("conversationId"));
        for (String field : new String[] {"type", "conversationId", "count", "lastSeq"}) {
            if (alert.getValue(field) != null) {
                payload.addCustomProperty(field, alert.getValue(field));
            }
        }
        return payload.build();
    }

    /** 200 taken; BadDeviceToken or Unregistered, the token is gone; 429 and 5xx retried; the rest refused. */
    static PushOutcome outcome(PushNotificationResponse<?> response) {
        if (response.isAccepted()) {
            return PushOutcome.of(200, null);
        }
        String reason = response.getRejectionReason().orElse("");
        if (GONE.contains(reason)) {
            return PushOutcome.gone(response.getStatusCode(), reason);
        }
        return PushOutcome.of(response.getStatusCode(), null).withDetail(reason);
    }

    void stop(@Observes ShutdownEvent stop) {
        client.ifPresent(c -> {
            try {
                c.close().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                Log.debugf("APNs client closed with %s", e.toString());
            }
        });
    }
}

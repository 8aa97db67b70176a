package io.parley.notification.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.eatthepath.pushy.apns.PushNotificationResponse;
import com.eatthepath.pushy.apns.util.SimpleApnsPushNotification;
import io.parley.notification.client.PushOutcome.Kind;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The APNs payload the sender builds, and what Apple's answers mean. */
class ApnsSenderTest {

    @Test
    void thePayloadIsAVisibleAlertWithBadgeSoundThreadAndTheFieldsForTheApp() {
        JsonObject alert = new JsonObject()
                .put("type", "messages")
                .put("conversationId", "c-1")
                .put("count", 3)
                .put("lastSeq", 42)
                .put("badge", 7)
                .put("title", "Alice")
                .put("body", "3 new messages");

        JsonObject payload = new JsonObject(ApnsSender.payload(alert));

        JsonObject aps = payload.getJsonObject("aps");
        assertThat(aps.getJsonObject("alert"))
                .isEqualTo(new JsonObject().put("title", "Alice").put("body", "3 new messages"));
        assertThat(aps.getInteger("badge")).isEqualTo(7);
        assertThat(aps.getString("sound")).isEqualTo("default");
        assertThat(aps.getString("thread-id")).isEqualTo("c-1");
        assertThat(payload.getString("type")).isEqualTo("messages");
        assertThat(payload.getString("conversationId")).isEqualTo("c-1");
        assertThat(payload.getInteger("count")).isEqualTo(3);
        assertThat(payload.getInteger("lastSeq")).isEqualTo(42);
        // the title, body and badge are the aps dictionary's, not repeated beside it
        assertThat(payload.fieldNames()).containsExactlyInAnyOrder("aps", "type", "conversationId", "count", "lastSeq");
    }

    @Test
    void anAlertWithoutBodyOrBadgeHasATitleOnlyAndBadgeZero() {
        JsonObject alert = new JsonObject()
                .put("type", "messages")
                .put("conversationId", "c-1")
                .put("title", "New message");

        JsonObject aps = new JsonObject(ApnsSender.payload(alert)).getJsonObject("aps");

        assertThat(aps.getJsonObject("alert")).isEqualTo(new JsonObject().put("title", "New message"));
        assertThat(aps.getInteger("badge")).isZero();
    }

    @Test
    void theAnswersMeanDeliveredGoneRetryOrRefused() {
        assertThat(ApnsSender.outcome(answer(true, 200, null)).kind()).isEqualTo(Kind.DELIVERED);
        PushOutcome bad = ApnsSender.outcome(answer(false, 400, "BadDeviceToken"));
        assertThat(bad.kind()).isEqualTo(Kind.GONE);
        assertThat(bad.detail()).isEqualTo("BadDeviceToken");
        assertThat(ApnsSender.outcome(answer(false, 410, "Unregistered")).kind())
                .isEqualTo(Kind.GONE);
        assertThat(ApnsSender.outcome(answer(false, 429, "TooManyRequests")).kind())
                .isEqualTo(Kind.RETRY);
        assertThat(ApnsSender.outcome(answer(false, 503, "ServiceUnavailable")).kind())
                .isEqualTo(Kind.RETRY);
        PushOutcome refused = ApnsSender.outcome(answer(false, 400, "BadTopic"));
        assertThat(refused.kind()).isEqualTo(Kind.REFUSED);
        assertThat(refused.detail()).isEqualTo("BadTopic");
        assertThat(ApnsSender.outcome(answer(false, 403, "InvalidProviderToken"))
                        .kind())
                .isEqualTo(Kind.REFUSED);
    }

    private static PushNotificationResponse<SimpleApnsPushNotification> answer(
            boolean accepted, int status, String reason) {
        return new PushNotificationResponse<>() {
            @Override
            public SimpleApnsPushNotification getPushNotification() {
                return null;
            }

            @Override
            public boolean isAccepted() {
                return accepted;
            }

            @Override
            public UUID getApnsId() {
                return UUID.randomUUID();
            }

            @Override
            public int getStatusCode() {
                return status;
            }

            @Override
            public Optional<String> getRejectionReason() {
                return Optional.ofNullable(reason);
            }

            @Override
            public Optional<Instant> getTokenInvalidationTimestamp() {
                return Optional.empty();
            }
        };
    }
}

package io.parley.notification.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.notification.client.PushOutcome.Kind;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The FCM v1 request body the sender builds, and what FCM's answers mean. */
class FcmSenderTest {

    private static final String KEY = "0f8e1c2a3b4c4d5e8f9a0b1c2d3e4f5a";

    @Test
    void theMessageCarriesTheAlertAsDataANotificationAndTheCollapseKeys() {
        JsonObject alert = new JsonObject()
                .put("type", "messages")
                .put("conversationId", "c-1")
                .put("count", 3)
                .put("lastSeq", 42)
                .put("badge", 7)
                .put("title", "Alice")
                .put("body", "3 new messages");

        JsonObject message = FcmSender.message("device-token", alert, KEY).getJsonObject("message");

        assertThat(message.getString("token")).isEqualTo("device-token");
        // data: every field of the alert, as strings (FCM data values are strings)
        assertThat(message.getJsonObject("data").getMap())
                .containsEntry("type", "messages")
                .containsEntry("conversationId", "c-1")
                .containsEntry("count", "3")
                .containsEntry("lastSeq", "42")
                .containsEntry("badge", "7")
                .containsEntry("title", "Alice")
                .containsEntry("body", "3 new messages");
        assertThat(message.getJsonObject("notification"))
                .isEqualTo(new JsonObject().put("title", "Alice").put("body", "3 new messages"));
        assertThat(message.getJsonObject("android"))
                .isEqualTo(new JsonObject()
                        .put("collapse_key", KEY)
                        .put("notification", new JsonObject().put("tag", KEY).put("notification_count", 7L)));
        assertThat(message.getJsonObject("apns"))
                .isEqualTo(new JsonObject()
                        .put("headers", new JsonObject().put("apns-collapse-id", KEY))
                        .put("payload", new JsonObject().put("aps", new JsonObject().put("badge", 7L))));
    }

    @Test
    void anAlertWithoutBodyOrBadgeHasATitleOnlyAndBadgeZero() {
        JsonObject alert = new JsonObject().put("title", "New message").putNull("body");

        JsonObject message = FcmSender.message("t", alert, KEY).getJsonObject("message");

        assertThat(message.getJsonObject("notification")).isEqualTo(new JsonObject().put("title", "New message"));
        assertThat(message.getJsonObject("data").containsKey("body")).isFalse();
        assertThat(message.getJsonObject("android")
                        .getJsonObject("notification")
                        .getLong("notification_count"))
                .isZero();
        assertThat(message.getJsonObject("apns")
                        .getJsonObject("payload")
                        .getJsonObject("aps")
                        .getLong("badge"))
                .isZero();
    }

    @Test
    void theAnswersMeanDeliveredGoneRetryOrRefused() {
        assertThat(FcmSender.outcome(200, null, "{\"name\":\"projects/p/messages/1\"}")
                        .kind())
                .isEqualTo(Kind.DELIVERED);
        assertThat(FcmSender.outcome(404, null, "{}").kind()).isEqualTo(Kind.GONE);
        assertThat(FcmSender.outcome(400, null, unregistered()).kind()).isEqualTo(Kind.GONE);
        PushOutcome busy = FcmSender.outcome(429, "30", "{}");
        assertThat(busy.kind()).isEqualTo(Kind.RETRY);
        assertThat(busy.retryAfter()).contains(Duration.ofSeconds(30));
        assertThat(FcmSender.outcome(503, null, "not json").kind()).isEqualTo(Kind.RETRY);
        assertThat(FcmSender.outcome(400, null, invalidArgument()).kind()).isEqualTo(Kind.REFUSED);
        assertThat(FcmSender.outcome(403, null, "").kind()).isEqualTo(Kind.REFUSED);
    }

    private static String unregistered() {
        return """
                {"error": {"code": 404, "status": "NOT_FOUND", "details": [
                  {"@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError",
                   "errorCode": "UNREGISTERED"}]}}""";
    }

    private static String invalidArgument() {
        return """
                {"error": {"code": 400, "status": "INVALID_ARGUMENT", "details": [
                  {"@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError",
                   "errorCode": "INVALID_ARGUMENT"}]}}""";
    }
}

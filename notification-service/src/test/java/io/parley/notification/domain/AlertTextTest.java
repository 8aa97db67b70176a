package io.parley.notification.domain;

import io.parley.events.MessageData;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class AlertTextTest {

    private static final UUID CONVERSATION = UUID.randomUUID();

    @Test
    void eachPreviewModeSaysWhatItShould() {
        assertThat(AlertText.payload("full", CONVERSATION, 1, 4, 7, "Alice", "hi").getString("body")).isEqualTo("hi");
        assertThat(AlertText.payload("full", CONVERSATION, 3, 4, 7, "Alice", "hi").getString("body"))
                .isEqualTo("3 new messages: hi");
        assertThat(AlertText.payload("full", CONVERSATION, 3, 4, 7, "Alice", null).getString("body"))
                .isEqualTo("3 new messages");
        assertThat(AlertText.payload("sender", CONVERSATION, 3, 4, 7, "Alice", "hi").getString("body"))
                .isEqualTo("3 new messages from Alice");
        JsonObject none = AlertText.payload("none", CONVERSATION, 1, 4, 7, null, "hi");
        assertThat(none.getString("title")).isEqualTo("New message");
        assertThat(none.getValue("body")).isNull();
        assertThat(none.getLong("badge")).isEqualTo(7);
    }

    @Test
    void aQueuedAlertFollowsAnEditAndForgetsADeletedText() {
        String one = AlertText.payload("full", CONVERSATION, 1, 4, 7, "Alice", "secret").encode();
        String three = AlertText.payload("full", CONVERSATION, 3, 4, 7, "Alice", "secret").encode();
        assertThat(new JsonObject(AlertText.revise("full", one, "edited")).getString("body")).isEqualTo("edited");
        assertThat(AlertText.revise("full", one, null)).doesNotContain("secret")
                .contains("\"body\":\"New message\"");
        assertThat(AlertText.revise("full", three, null)).doesNotContain("secret")
                .contains("\"body\":\"3 new messages\"");
        String sender = AlertText.payload("sender", CONVERSATION, 1, 4, 7, "Alice", "secret").encode();
        assertThat(AlertText.revise("sender", sender, null)).isEqualTo(sender);
    }

    @Test
    void aPreviewIsCutWithoutSplittingASurrogatePairAndADeletedMessageHasNone() {
        String emoji = "😀"; // two UTF-16 units
        String content = "a".repeat(AlertText.PREVIEW_LENGTH - 2) + emoji + "tail";
        String preview = AlertText.preview(message(content, null));
        assertThat(io.parley.kit.Text.isValid(preview)).isTrue();
        assertThat(preview).endsWith("…").hasSizeLessThanOrEqualTo(AlertText.PREVIEW_LENGTH);
        assertThat(AlertText.preview(message("gone", Instant.now()))).isNull();
        assertThat(AlertText.preview(message("", null))).isNull();
    }

    private static MessageData message(String content, Instant deletedAt) {
        return new MessageData(UUID.randomUUID(), CONVERSATION, 1, "c", "alice", "client", "Alice", "text", content,
                List.<Map<String, Object>>of(), Instant.now(), null, deletedAt);
    }
}

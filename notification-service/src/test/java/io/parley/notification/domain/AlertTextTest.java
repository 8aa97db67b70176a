package io.parley.notification.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.events.MessageData;
import io.parley.events.PreviewMode;
import io.parley.events.Role;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AlertTextTest {

    private static final UUID CONVERSATION = UUID.randomUUID();

    @Test
    void eachPreviewModeSaysWhatItShould() {
        assertThat(AlertText.payload(PreviewMode.FULL, CONVERSATION, 1, 4, 7, "Alice", "hi")
                        .getString("body"))
                .isEqualTo("hi");
        assertThat(AlertText.payload(PreviewMode.FULL, CONVERSATION, 3, 4, 7, "Alice", "hi")
                        .getString("body"))
                .isEqualTo("3 new messages: hi");
        assertThat(AlertText.payload(PreviewMode.FULL, CONVERSATION, 3, 4, 7, "Alice", null)
                        .getString("body"))
                .isEqualTo("3 new messages");
        assertThat(AlertText.payload(PreviewMode.SENDER, CONVERSATION, 3, 4, 7, "Alice", "hi")
                        .getString("body"))
                .isEqualTo("3 new messages from Alice");
        JsonObject none = AlertText.payload(PreviewMode.NONE, CONVERSATION, 1, 4, 7, null, "hi");
        assertThat(none.getString("title")).isEqualTo("New message");
        assertThat(none.getValue("body")).isNull();
        assertThat(none.getLong("badge")).isEqualTo(7);
    }

    @Test
    void aQueuedAlertFollowsAnEditAndForgetsADeletedText() {
        String one = AlertText.payload(PreviewMode.FULL, CONVERSATION, 1, 4, 7, "Alice", "secret")
                .encode();
        String three = AlertText.payload(PreviewMode.FULL, CONVERSATION, 3, 4, 7, "Alice", "secret")
                .encode();
        assertThat(new JsonObject(AlertText.revise(PreviewMode.FULL, one, "edited")).getString("body"))
                .isEqualTo("edited");
        assertThat(AlertText.revise(PreviewMode.FULL, one, null))
                .doesNotContain("secret")
                .contains("\"body\":\"New message\"");
        assertThat(AlertText.revise(PreviewMode.FULL, three, null))
                .doesNotContain("secret")
                .contains("\"body\":\"3 new messages\"");
        String sender = AlertText.payload(PreviewMode.SENDER, CONVERSATION, 1, 4, 7, "Alice", "secret")
                .encode();
        assertThat(AlertText.revise(PreviewMode.SENDER, sender, null)).isEqualTo(sender);
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

    @Test
    void aMessageOfFilesAloneSaysHowManyAndOneWithTextShowsTheText() {
        assertThat(AlertText.preview(message(null, null, 1))).isEqualTo("\uD83D\uDCCE 1 file");
        assertThat(AlertText.preview(message(null, null, 2))).isEqualTo("\uD83D\uDCCE 2 files");
        assertThat(AlertText.preview(message("  \n", null, 10))).isEqualTo("\uD83D\uDCCE 10 files");
        assertThat(AlertText.preview(message("look at this", null, 3))).isEqualTo("look at this");
        assertThat(AlertText.preview(message(null, Instant.now(), 2))).isNull();
        assertThat(AlertText.preview(message(null, null, 0))).isNull();
        assertThat(io.parley.kit.Text.isValid(AlertText.files(2))).isTrue();
        // with full previews a message of files alone is the body; a queued alert follows an edit that adds text
        String alert = AlertText.payload(
                        PreviewMode.FULL, CONVERSATION, 1, 4, 7, "Alice", AlertText.preview(message(null, null, 2)))
                .encode();
        assertThat(new JsonObject(alert).getString("body")).isEqualTo("\uD83D\uDCCE 2 files");
        assertThat(new JsonObject(AlertText.revise(
                                PreviewMode.FULL, alert, AlertText.preview(message("caption", null, 2))))
                        .getString("body"))
                .isEqualTo("caption");
        assertThat(AlertText.payload(PreviewMode.FULL, CONVERSATION, 2, 4, 7, "Alice", AlertText.files(1))
                        .getString("body"))
                .isEqualTo("2 new messages: \uD83D\uDCCE 1 file");
    }

    private static MessageData message(String content, Instant deletedAt) {
        return message(content, deletedAt, 0);
    }

    /** A message with {@code files} attachments, each as the message-service stores it. */
    private static MessageData message(String content, Instant deletedAt, int files) {
        List<Map<String, Object>> attachments = java.util.stream.IntStream.range(0, files)
                .mapToObj(i -> Map.<String, Object>of(
                        "id",
                        UUID.randomUUID().toString(),
                        "name",
                        "f" + i + ".png",
                        "contentType",
                        "image/png",
                        "size",
                        10L,
                        "sha256",
                        "00",
                        "url",
                        "/api/attachments/" + i))
                .toList();
        return new MessageData(
                UUID.randomUUID(),
                CONVERSATION,
                1,
                "c",
                "alice",
                Role.CLIENT,
                "Alice",
                "text",
                content,
                attachments,
                Instant.now(),
                null,
                deletedAt);
    }
}

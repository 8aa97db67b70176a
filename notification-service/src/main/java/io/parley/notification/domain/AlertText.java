package io.parley.notification.domain;

import io.parley.events.MessageData;
import io.parley.events.PreviewMode;
import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * What an alert says, by {@code PARLEY_PUSH_PREVIEW}: {@code sender} (the sender's name and a count), {@code full}
 * (the last message itself) or {@code none} (a count only). Pure functions, shared by the dispatcher that makes an
 * alert and by the consumer that makes a pending or queued alert follow an edit or a deletion of its last message.
 */
public final class AlertText {

    /** The longest preview an alert carries, in characters. */
    public static final int PREVIEW_LENGTH = 200;

    private AlertText() {}

    /**
     * The preview of a message as it is now: its content cut at {@link #PREVIEW_LENGTH} characters; for a message
     * whose content is absent or blank and that carries files, {@link #files} of their number ("📎 2 files"); null
     * for a deleted message (whatever it still carries) or one with nothing to show.
     */
    public static String preview(MessageData message) {
        if (message.deletedAt() != null) {
            return null;
        }
        String content = message.content();
        if (content == null || content.isBlank()) {
            return message.attachments().isEmpty()
                    ? null
                    : files(message.attachments().size());
        }
        if (content.length() <= PREVIEW_LENGTH) {
            return content;
        }
        // never cut a surrogate pair in two: half of one has no UTF-8 encoding
        int end = PREVIEW_LENGTH - 1;
        if (Character.isHighSurrogate(content.charAt(end - 1))) {
            end--;
        }
        return content.substring(0, end) + "…";
    }

    /**
     * What a message of files alone says instead of text: "📎 1 file", "📎 2 files" (the paperclip is U+1F4CE).
     *
     * @param count the number of attachments, from 1
     */
    public static String files(int count) {
        return "\uD83D\uDCCE " + count + (count == 1 ? " file" : " files");
    }

    /**
     * The JSON payload of an alert: {@code {type: "messages", conversationId, count, lastSeq, badge, title, body}}.
     *
     * @param mode    the preview setting
     * @param sender  the last message's sender name, or null ("Someone")
     * @param preview the last message's preview ({@link #preview}), or null when it has none or was deleted
     */
    public static JsonObject payload(
            PreviewMode mode, UUID conversationId, int count, long lastSeq, long badge, String sender, String preview) {
        String from = sender == null ? "Someone" : sender;
        JsonObject json = new JsonObject()
                .put("type", "messages")
                .put("conversationId", conversationId.toString())
                .put("count", count)
                .put("lastSeq", lastSeq)
                .put("badge", badge);
        switch (mode) {
            case FULL -> json.put("title", from).put("body", fullBody(count, preview));
            case NONE -> json.put("title", countText(count)).putNull("body");
            case SENDER -> json.put("title", from).put("body", countText(count) + " from " + from);
        }
        return json;
    }

    /**
     * The payload of an alert not sent yet, after its last message changed to {@code preview} (null: deleted):
     * with {@code full} previews the body shows the new text, or the count alone; the other modes show no text, so
     * their payload is answered unchanged.
     */
    public static String revise(PreviewMode mode, String payload, String preview) {
        if (mode != PreviewMode.FULL) {
            return payload;
        }
        JsonObject json = new JsonObject(payload);
        return json.put("body", fullBody(json.getInteger("count", 1), preview)).encode();
    }

    /** The body with full previews: the message alone, or "3 new messages: " and the last one, or the count alone. */
    static String fullBody(int count, String preview) {
        if (preview == null) {
            return countText(count);
        }
        return count == 1 ? preview : countText(count) + ": " + preview;
    }

    static String countText(int count) {
        return count == 1 ? "New message" : count + " new messages";
    }
}

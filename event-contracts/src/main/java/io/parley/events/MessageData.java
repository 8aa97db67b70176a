package io.parley.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A message as clients see it: the Message resource of the client contract. The message-service answers it over
 * REST, and message events carry it so that the gateway delivers it as it is.
 */
public record MessageData(
        UUID id,
        UUID conversationId,
        long seq,
        String clientMessageId,
        String senderId,
        Role senderRole,
        String senderName,
        String type,
        String content,
        List<Map<String, Object>> attachments,
        Instant createdAt,
        Instant editedAt,
        Instant deletedAt) {

    public MessageData {
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }

    public MessageData withSeq(long seq) {
        return new MessageData(
                id,
                conversationId,
                seq,
                clientMessageId,
                senderId,
                senderRole,
                senderName,
                type,
                content,
                attachments,
                createdAt,
                editedAt,
                deletedAt);
    }
}

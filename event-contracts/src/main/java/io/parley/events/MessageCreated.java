package io.parley.events;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A message was stored with its {@code seq}. Carries the conversation's participants at that seq so that the
 * gateway and the notification service route it without a membership lookup. Published on {@link Topics#MESSAGES}.
 */
public record MessageCreated(UUID eventId, String type, Instant occurredAt, int version,
                             UUID conversationId, UUID messageId, long seq, String clientMessageId,
                             String senderId, String senderRole, String senderName, String content,
                             List<String> participants) implements Event {

    public static final String TYPE = "message.created";
    public static final int VERSION = 1;

    public MessageCreated {
        participants = List.copyOf(participants);
    }

    @Override
    @JsonIgnore
    public String key() {
        return conversationId.toString();
    }
}

package io.parley.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A message was created, edited or deleted ({@code type} says which); {@code message} is its state after the
 * change. Carries the conversation's type and participants at that moment so that the gateway and the notification
 * service route it without a lookup (every admin also receives the events of support conversations).
 * Published on {@link Topics#MESSAGES}, keyed by conversation id.
 */
public record MessageEvent(
        UUID eventId,
        String type,
        Instant occurredAt,
        int version,
        UUID conversationId,
        ConversationKind conversationType,
        List<String> participants,
        MessageData message)
        implements Event {

    public static final String CREATED = "message.created";
    public static final String UPDATED = "message.updated";
    public static final String DELETED = "message.deleted";
    public static final int VERSION = 1;

    public MessageEvent {
        participants = List.copyOf(participants);
    }

    public static MessageEvent of(
            String type,
            ConversationKind conversationType,
            List<String> participants,
            MessageData message,
            Instant at) {
        return new MessageEvent(
                UUID.randomUUID(),
                type,
                at,
                VERSION,
                message.conversationId(),
                conversationType,
                participants,
                message);
    }

    @Override
    @JsonIgnore
    public String key() {
        return conversationId.toString();
    }
}

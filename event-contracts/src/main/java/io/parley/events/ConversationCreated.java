package io.parley.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A conversation exists, with these participants. Published on {@link Topics#CONVERSATIONS}. */
public record ConversationCreated(
        UUID eventId,
        String type,
        Instant occurredAt,
        int version,
        UUID conversationId,
        ConversationKind conversationType,
        String title,
        String createdBy,
        List<String> participants)
        implements ConversationEvent {

    public static final String TYPE = "conversation.created";
    public static final int VERSION = 1;

    public ConversationCreated {
        participants = List.copyOf(participants);
    }

    public static ConversationCreated of(
            UUID conversationId,
            ConversationKind conversationType,
            String title,
            String createdBy,
            List<String> participants,
            Instant at) {
        return new ConversationCreated(
                UUID.randomUUID(), TYPE, at, VERSION, conversationId, conversationType, title, createdBy, participants);
    }
}

package io.parley.events;

import java.time.Instant;
import java.util.UUID;

/** A user joined a conversation. Published on {@link Topics#CONVERSATIONS}. */
public record ParticipantAdded(UUID eventId, String type, Instant occurredAt, int version,
                               UUID conversationId, String userId, String addedBy) implements ConversationEvent {

    public static final String TYPE = "participant.added";
    public static final int VERSION = 1;

    public static ParticipantAdded of(UUID conversationId, String userId, String addedBy, Instant at) {
        return new ParticipantAdded(UUID.randomUUID(), TYPE, at, VERSION, conversationId, userId, addedBy);
    }
}

package io.parley.events;

import java.time.Instant;
import java.util.UUID;

/** A user left or was removed from a conversation. Published on {@link Topics#CONVERSATIONS}. */
public record ParticipantRemoved(UUID eventId, String type, Instant occurredAt, int version,
                                 UUID conversationId, String userId, String removedBy) implements ConversationEvent {

    public static final String TYPE = "participant.removed";
    public static final int VERSION = 1;

    public static ParticipantRemoved of(UUID conversationId, String userId, String removedBy, Instant at) {
        return new ParticipantRemoved(UUID.randomUUID(), TYPE, at, VERSION, conversationId, userId, removedBy);
    }
}

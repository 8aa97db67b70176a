package io.parley.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A user left or was removed from a conversation. Published on {@link Topics#CONVERSATIONS}. {@code participants}
 * are the conversation's participants after the removal (the removed user no longer among them), so that the
 * gateways can tell every one of them without a lookup; null in events published before the field existed.
 */
public record ParticipantRemoved(
        UUID eventId,
        String type,
        Instant occurredAt,
        int version,
        UUID conversationId,
        String userId,
        String removedBy,
        List<String> participants)
        implements ConversationEvent {

    public static final String TYPE = "participant.removed";
    public static final int VERSION = 1;

    public ParticipantRemoved {
        participants = participants == null ? null : List.copyOf(participants);
    }

    /** A removal whose participants afterwards are not known (null): kept for callers that do not know them. */
    public static ParticipantRemoved of(UUID conversationId, String userId, String removedBy, Instant at) {
        return of(conversationId, userId, removedBy, null, at);
    }

    /**
     * A removal of {@code userId} by {@code removedBy}, with the conversation's participants after it.
     *
     * @return a new event with a fresh id
     */
    public static ParticipantRemoved of(
            UUID conversationId, String userId, String removedBy, List<String> participants, Instant at) {
        return new ParticipantRemoved(
                UUID.randomUUID(), TYPE, at, VERSION, conversationId, userId, removedBy, participants);
    }
}

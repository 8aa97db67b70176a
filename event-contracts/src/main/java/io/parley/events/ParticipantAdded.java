package io.parley.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A user joined a conversation. Published on {@link Topics#CONVERSATIONS}. {@code participants} are the
 * conversation's participants after the addition (the added user included), so that the gateways can tell every one
 * of them without a lookup; null in events published before the field existed.
 */
public record ParticipantAdded(
        UUID eventId,
        String type,
        Instant occurredAt,
        int version,
        UUID conversationId,
        String userId,
        String addedBy,
        List<String> participants)
        implements ConversationEvent {

    public static final String TYPE = "participant.added";
    public static final int VERSION = 1;

    public ParticipantAdded {
        participants = participants == null ? null : List.copyOf(participants);
    }

    /** An addition whose participants afterwards are not known (null): kept for callers that do not know them. */
    public static ParticipantAdded of(UUID conversationId, String userId, String addedBy, Instant at) {
        return of(conversationId, userId, addedBy, null, at);
    }

    /**
     * An addition of {@code userId} by {@code addedBy}, with the conversation's participants after it.
     *
     * @return a new event with a fresh id
     */
    public static ParticipantAdded of(
            UUID conversationId, String userId, String addedBy, List<String> participants, Instant at) {
        return new ParticipantAdded(
                UUID.randomUUID(), TYPE, at, VERSION, conversationId, userId, addedBy, participants);
    }
}

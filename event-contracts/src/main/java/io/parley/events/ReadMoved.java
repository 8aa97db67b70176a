package io.parley.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A reader's position in a conversation moved forward to {@code seq}: they have read every message up to it.
 * A position never moves back, and a send moves its sender's position without this event (the message.created
 * event says it). Carries the conversation's type and participants, like {@link MessageEvent}, so that it is routed
 * without a lookup. Published by the message-service on {@link Topics#MESSAGES}, keyed by conversation id, so it
 * comes after every message it covers.
 */
public record ReadMoved(
        UUID eventId,
        String type,
        Instant occurredAt,
        int version,
        UUID conversationId,
        ConversationKind conversationType,
        List<String> participants,
        String userId,
        long seq)
        implements Event {

    public static final String TYPE = "read.moved";
    public static final int VERSION = 1;

    public ReadMoved {
        participants = List.copyOf(participants);
    }

    public static ReadMoved of(
            UUID conversationId,
            ConversationKind conversationType,
            List<String> participants,
            String userId,
            long seq,
            Instant at) {
        return new ReadMoved(
                UUID.randomUUID(), TYPE, at, VERSION, conversationId, conversationType, participants, userId, seq);
    }

    @Override
    @JsonIgnore
    public String key() {
        return conversationId.toString();
    }
}

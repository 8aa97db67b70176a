package io.parley.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A participant started or stopped typing. Carries the conversation's type and participants for routing, like
 * message events. Published by the gateway on {@link Topics#TYPING}; nothing stores it.
 */
public record TypingChanged(
        UUID eventId,
        String type,
        Instant occurredAt,
        int version,
        UUID conversationId,
        ConversationKind conversationType,
        List<String> participants,
        String userId,
        TypingState state)
        implements Event {

    public static final String TYPE = "typing.changed";
    public static final int VERSION = 1;

    public TypingChanged {
        participants = List.copyOf(participants);
    }

    public static TypingChanged of(
            UUID conversationId,
            ConversationKind conversationType,
            List<String> participants,
            String userId,
            TypingState state,
            Instant at) {
        return new TypingChanged(
                UUID.randomUUID(), TYPE, at, VERSION, conversationId, conversationType, participants, userId, state);
    }

    @Override
    @JsonIgnore
    public String key() {
        return conversationId.toString();
    }
}

package io.parley.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.UUID;

/** An event about one conversation: keyed, and therefore ordered, by its conversation id. */
public sealed interface ConversationEvent extends Event
        permits ConversationCreated, ParticipantAdded, ParticipantRemoved {

    UUID conversationId();

    @Override
    @JsonIgnore
    default String key() {
        return conversationId().toString();
    }
}

package io.parley.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Optional;

/**
 * The kind of a conversation: {@code support} (a client's or expert's own conversation with the support desk, which
 * every admin may use), {@code direct} (two users) or {@code group}. Carried by conversation, message, read and typing
 * events as {@code conversationType}, and by the REST Conversation resource as {@code type}.
 */
public enum ConversationKind {
    SUPPORT,
    DIRECT,
    GROUP;

    /** The conversation kind spelled {@code wire} exactly; empty for null or any other text. */
    public static Optional<ConversationKind> find(String wire) {
        return Words.find(ConversationKind.class, wire);
    }

    /**
     * The conversation kind spelled {@code wire}: how JSON is read into one, and how a stored column is read.
     *
     * @throws IllegalArgumentException for any other text, or null
     */
    @JsonCreator
    public static ConversationKind fromWire(String wire) {
        return Words.of(ConversationKind.class, wire, "conversation kind");
    }

    /** The conversation kind as every wire spells it: {@code support}, {@code direct} or {@code group}. */
    @JsonValue
    public String wire() {
        return Words.spell(this);
    }
}

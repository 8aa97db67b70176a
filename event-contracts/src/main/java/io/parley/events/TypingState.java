package io.parley.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Optional;

/**
 * A typing indicator's state: {@code start} or {@code stop}. Carried by {@link TypingChanged} and by the {@code typing}
 * frames of the WebSocket protocol.
 */
public enum TypingState {
    START,
    STOP;

    /** The typing state spelled {@code wire} exactly; empty for null or any other text. */
    public static Optional<TypingState> find(String wire) {
        return Words.find(TypingState.class, wire);
    }

    /**
     * The typing state spelled {@code wire}: how JSON is read into one.
     *
     * @throws IllegalArgumentException for any other text, or null
     */
    @JsonCreator
    public static TypingState fromWire(String wire) {
        return Words.of(TypingState.class, wire, "typing state");
    }

    /** The typing state as every wire spells it: {@code start} or {@code stop}. */
    @JsonValue
    public String wire() {
        return Words.spell(this);
    }
}

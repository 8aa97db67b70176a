package io.parley.events;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How the enums of this package ({@link Role}, {@link ConversationKind}, {@link TypingState}, {@link PushKind},
 * {@link PreviewMode}) are spelled on every wire (Kafka events, WebSocket frames, REST bodies, database columns): their
 * name in lower case, matched exactly (no other letter case, no white space).
 */
final class Words {

    private Words() {}

    /** {@code word} as the wire spells it: its name in lower case. */
    static String spell(Enum<?> word) {
        return word.name().toLowerCase(Locale.ROOT);
    }

    /** The constant of {@code type} spelled {@code wire} exactly; empty for null or any other text. */
    static <E extends Enum<E>> Optional<E> find(Class<E> type, String wire) {
        if (wire == null) {
            return Optional.empty();
        }
        for (E word : type.getEnumConstants()) {
            if (spell(word).equals(wire)) {
                return Optional.of(word);
            }
        }
        return Optional.empty();
    }

    /**
     * The constant of {@code type} spelled {@code wire} exactly.
     *
     * @param what what the word names, for the message ("conversation kind")
     * @throws IllegalArgumentException naming the value and the known ones, for null or any other text
     */
    static <E extends Enum<E>> E of(Class<E> type, String wire, String what) {
        return find(type, wire)
                .orElseThrow(() -> new IllegalArgumentException("unknown " + what + ": "
                        + (wire == null ? "null" : '"' + wire + '"') + " (known: "
                        + Arrays.stream(type.getEnumConstants())
                                .map(Words::spell)
                                .collect(Collectors.joining(", ")) + ")"));
    }
}

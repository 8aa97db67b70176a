package io.parley.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Optional;

/**
 * What an alert shows ({@code PARLEY_PUSH_PREVIEW}): {@code full} (the last message itself), {@code sender} (the
 * sender's name and a count) or {@code none} (a count only).
 */
public enum PreviewMode {
    FULL,
    SENDER,
    NONE;

    /** The preview mode spelled {@code wire} exactly; empty for null or any other text. */
    public static Optional<PreviewMode> find(String wire) {
        return Words.find(PreviewMode.class, wire);
    }

    /**
     * The preview mode spelled {@code wire}: how JSON is read into one.
     *
     * @throws IllegalArgumentException for any other text, or null
     */
    @JsonCreator
    public static PreviewMode fromWire(String wire) {
        return Words.of(PreviewMode.class, wire, "preview mode");
    }

    /**
     * The preview mode of the setting {@code PARLEY_PUSH_PREVIEW}: {@code full} and {@code none} as spelled, anything
     * else (the default {@code sender} included) {@code sender}, as {@code parley.push.preview} has always read.
     */
    public static PreviewMode ofSetting(String setting) {
        return find(setting).orElse(SENDER);
    }

    /** The preview mode as every wire spells it: {@code full}, {@code sender} or {@code none}. */
    @JsonValue
    public String wire() {
        return Words.spell(this);
    }
}

package io.parley.events;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The one JSON mapping of events, used by every producer and consumer. */
public final class EventJson {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private EventJson() {}

    public static byte[] write(Event event) {
        return writeValue(event);
    }

    /** Writes a part of an event (a message as events carry it) as the events do. */
    public static byte[] writeValue(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads an event; an unknown {@code type} or malformed JSON throws {@link IllegalArgumentException}. */
    public static Event read(byte[] json) {
        try {
            return MAPPER.readValue(json, Event.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a readable event: " + e.getMessage(), e);
        }
    }
}

package io.parley.gateway.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.parley.events.MessageData;

/** The server's WebSocket frames, as docs/api.md describes them. */
public final class Frames {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private Frames() {
    }

    public static ObjectMapper json() {
        return JSON;
    }

    public static String message(String type, MessageData message) {
        ObjectNode frame = JSON.createObjectNode().put("type", type);
        frame.set("message", JSON.valueToTree(message));
        return frame.toString();
    }

    public static String ack(String ref, Object message) {
        ObjectNode frame = JSON.createObjectNode().put("type", "ack").put("ref", ref);
        frame.set("message", JSON.valueToTree(message));
        return frame.toString();
    }

    public static String error(String ref, String code, String message) {
        ObjectNode frame = JSON.createObjectNode().put("type", "error");
        if (ref != null) {
            frame.put("ref", ref);
        }
        return frame.put("code", code).put("message", message).toString();
    }

    public static String of(String type) {
        return JSON.createObjectNode().put("type", type).toString();
    }

    public static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

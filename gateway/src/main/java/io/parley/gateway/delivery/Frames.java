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

    /** {@code {type: error, ref?, code, message}}; without {@code ref} when it is null. */
    public static String error(String ref, String code, String message) {
        return errorNode(ref, code, message).toString();
    }

    /** {@code {type: error, ref?, code, message, conversationId}}: an error about one conversation of a frame. */
    public static String error(String ref, String code, String message, String conversationId) {
        return errorNode(ref, code, message).put("conversationId", conversationId).toString();
    }

    /**
     * {@code {type: error, ref?, code: invalid, field, message}}: the frame's {@code field} is missing or wrong;
     * {@code message} says how, naming the field.
     */
    public static String invalid(String ref, String field, String message) {
        return errorNode(ref, "invalid", message).put("field", field).toString();
    }

    /**
     * {@code {type: error, ref?, code, field, message}}: a service refused the frame ({@code invalid},
     * {@code conflict}, ...) because of its part {@code field}, e.g. {@code attachments[0]}.
     */
    public static String refused(String ref, String code, String field, String message) {
        return errorNode(ref, code, message).put("field", field).toString();
    }

    /**
     * {@code {type: error, ref?, code: invalid, field, conversationId, message}}: the part of a frame about one
     * conversation (a position of a resume) is wrong; the rest of the frame goes on.
     */
    public static String invalid(String ref, String field, String message, String conversationId) {
        return errorNode(ref, "invalid", message).put("field", field).put("conversationId", conversationId)
                .toString();
    }

    private static ObjectNode errorNode(String ref, String code, String message) {
        ObjectNode frame = JSON.createObjectNode().put("type", "error");
        if (ref != null) {
            frame.put("ref", ref);
        }
        return frame.put("code", code).put("message", message);
    }

    /**
     * The error code of a service's refusal, by its HTTP status: 400 and other 4xx {@code invalid}, 401
     * {@code unauthorized}, 403 {@code forbidden}, 404 and 410 {@code not_found}, 409 {@code conflict}, 413
     * {@code too_large}, 429 {@code rate_limited}; only a 5xx (or anything that is not a client error) is
     * {@code unavailable}, which tells the client to send the same frame again.
     */
    public static String code(int status) {
        return switch (status) {
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404, 410 -> "not_found";
            case 409 -> "conflict";
            case 413 -> "too_large";
            case 429 -> "rate_limited";
            default -> status >= 400 && status < 500 ? "invalid" : "unavailable";
        };
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

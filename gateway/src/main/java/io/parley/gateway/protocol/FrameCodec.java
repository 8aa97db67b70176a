package io.parley.gateway.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.parley.events.TypingState;
import io.parley.gateway.protocol.ServerFrame.Error;
import io.parley.kit.Text;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The one place where WebSocket frames are read and written: a client's text frame becomes a {@link ClientFrame} or
 * the error frame that answers it (each fault named as docs/api.md says), and a {@link ServerFrame} becomes its JSON
 * text. Stateless and thread-safe.
 */
public final class FrameCodec {

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final ObjectWriter WRITER = JSON.writerFor(ServerFrame.class);
    /**
     * How client frames are read: one JSON value and nothing after it, and no object with the same key twice (RFC 8259
     * leaves such an object to each parser: it is refused rather than read one way), as REST bodies are.
     */
    private static final com.fasterxml.jackson.databind.ObjectReader FRAMES = JSON.readerFor(JsonNode.class)
            .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private FrameCodec() {}

    /** The mapper frames are read and written with (ISO-8601 times). */
    public static ObjectMapper json() {
        return JSON;
    }

    /**
     * Encodes a server frame.
     *
     * @return its JSON text: {@code type} first, then its fields
     */
    public static String encode(ServerFrame frame) {
        try {
            return WRITER.writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "frame not encodable: " + frame.getClass().getSimpleName(), e);
        }
    }

    /** {@code value} (a record of event-contracts, a map of a service's answer) as a JSON tree, to put in a frame. */
    public static JsonNode tree(Object value) {
        return JSON.valueToTree(value);
    }

    /**
     * Decodes a client's text frame. Its parts are checked in the order docs/api.md lists: the JSON object, then
     * {@code ref}, then {@code type}, then the type's own fields; the first fault answers the frame.
     *
     * @param text the frame as received
     * @return the frame, or the refusal that answers it (never throws)
     */
    public static Decoded decode(String text) {
        JsonNode frame;
        try {
            frame = FRAMES.readValue(text);
        } catch (Exception e) {
            boolean twice = e instanceof com.fasterxml.jackson.core.JsonParseException parse
                    && String.valueOf(parse.getOriginalMessage()).startsWith("Duplicate field");
            return refused(
                    null,
                    Error.of(
                            null,
                            "invalid",
                            twice ? "The frame has an object with the same key twice." : "The frame is not JSON."));
        }
        if (frame == null || !frame.isObject()) {
            return refused(null, Error.of(null, "invalid", "A frame is a JSON object with a type."));
        }
        JsonNode refNode = frame.get("ref");
        String ref = null;
        if (refNode != null && !refNode.isNull()) {
            // a whole number of any size is read as its digits (docs/api.md)
            if (!refNode.isTextual() && !refNode.isIntegralNumber()) {
                return refused(null, Error.invalid(null, "ref", "ref must be a string or a whole number."));
            }
            String why = Text.whyNot(refNode.asText());
            if (why != null) {
                return refused(null, Error.invalid(null, "ref", "ref " + why + "."));
            }
            ref = refNode.asText();
        }
        JsonNode typeNode = frame.get("type");
        if (typeNode == null || !typeNode.isTextual()) {
            return refused(null, Error.invalid(ref, "type", "A frame is a JSON object with a type."));
        }
        String typeWhy = Text.whyNot(typeNode.asText());
        if (typeWhy != null) {
            return refused(null, Error.invalid(ref, "type", "type " + typeWhy + "."));
        }
        String type = typeNode.asText();
        return switch (type) {
            case "ping" -> ok(new ClientFrame.Ping(ref));
            case "send" -> send(ref, frame);
            case "auth" -> auth(ref, frame);
            case "typing" -> typing(ref, frame);
            case "read" -> read(ref, frame);
            case "resume" -> resume(ref, frame);
            default -> refused(null, Error.invalid(ref, "type", "Unknown frame type: " + type));
        };
    }

    private static Decoded send(String ref, JsonNode frame) {
        if (ref == null) {
            return refused("send", Error.invalid(null, "ref", "send needs ref."));
        }
        for (String field : List.of("conversationId", "clientMessageId")) {
            String problem = textProblem(frame, "send", field);
            if (problem != null) {
                return refused("send", Error.invalid(ref, field, problem));
            }
        }
        AttachmentRefs.Result attachments = AttachmentRefs.read(frame.get("attachments"));
        if (attachments.field() != null) {
            return refused("send", Error.invalid(ref, attachments.field(), attachments.problem()));
        }
        JsonNode contentNode = frame.get("content");
        boolean contentGiven = contentNode != null && !contentNode.isNull();
        // content may be left out when files are sent: the message-service decides whether the message says enough
        if (contentGiven || attachments.ids().isEmpty()) {
            String problem = textProblem(frame, "send", "content");
            if (problem != null) {
                return refused("send", Error.invalid(ref, "content", problem));
            }
        }
        String conversationText = frame.get("conversationId").asText();
        UUID conversationId = uuid(conversationText);
        if (conversationId == null) {
            return refused("send", noSuchConversation(ref, conversationText));
        }
        String clientMessageId = frame.get("clientMessageId").asText();
        if (uuid(clientMessageId) == null) {
            return refused("send", Error.invalid(ref, "clientMessageId", "clientMessageId must be a UUID."));
        }
        return ok(new ClientFrame.Send(
                ref, conversationId, clientMessageId, contentGiven ? contentNode.asText() : null, attachments.ids()));
    }

    private static Decoded read(String ref, JsonNode frame) {
        String problem = textProblem(frame, "read", "conversationId");
        if (problem != null) {
            return refused("read", Error.invalid(ref, "conversationId", problem));
        }
        JsonNode seq = frame.get("seq");
        if (!wholeFromZero(seq)) {
            return refused("read", Error.invalid(ref, "seq", "read needs seq, a whole number from 0."));
        }
        String conversationText = frame.get("conversationId").asText();
        UUID conversationId = uuid(conversationText);
        if (conversationId == null) {
            return refused("read", noSuchConversation(ref, conversationText));
        }
        return ok(new ClientFrame.Read(ref, conversationId, seq.asLong()));
    }

    private static Decoded typing(String ref, JsonNode frame) {
        for (String field : List.of("conversationId", "state")) {
            String problem = textProblem(frame, "typing", field);
            if (problem != null) {
                return refused("typing", Error.invalid(ref, field, problem));
            }
        }
        Optional<TypingState> state = TypingState.find(frame.get("state").asText());
        if (state.isEmpty()) {
            return refused("typing", Error.invalid(ref, "state", "state is start or stop."));
        }
        String conversationText = frame.get("conversationId").asText();
        UUID conversationId = uuid(conversationText);
        if (conversationId == null) {
            return refused("typing", noSuchConversation(ref, conversationText));
        }
        return ok(new ClientFrame.Typing(ref, conversationId, state.get()));
    }

    private static Decoded auth(String ref, JsonNode frame) {
        String problem = textProblem(frame, "auth", "token");
        if (problem != null) {
            return refused("auth", Error.invalid(ref, "token", problem));
        }
        // an empty or blank token is a string: verified, and refused as unauthorized (docs/api.md)
        return ok(new ClientFrame.Auth(ref, frame.get("token").asText()));
    }

    /**
     * A resume: only {@code positions} that is not a JSON object refuses the frame; each position that cannot be
     * replayed becomes a fault of its own, and the others go on.
     */
    private static Decoded resume(String ref, JsonNode frame) {
        JsonNode positions = frame.get("positions");
        if (positions == null || !positions.isObject()) {
            return refused(
                    "resume", Error.invalid(ref, "positions", "resume needs positions: {conversationId: lastSeq}."));
        }
        Map<UUID, Long> wanted = new LinkedHashMap<>();
        List<Error> faults = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = positions.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String key = entry.getKey();
            String why = Text.whyNot(key);
            if (why != null) {
                // not echoed: a string that cannot be encoded cannot be answered back as it was sent
                faults.add(Error.invalid(ref, "positions", "A key of positions " + why + "."));
                continue;
            }
            UUID conversationId = uuid(key);
            if (conversationId == null) {
                faults.add(noSuchConversation(ref, key));
                continue;
            }
            if (!wholeFromZero(entry.getValue())) {
                faults.add(Error.invalid(
                        ref, "positions", "The position of " + key + " must be a whole number from 0.", key));
                continue;
            }
            // one conversation written two ways (letter case): replayed once, from the lower position
            wanted.merge(conversationId, entry.getValue().asLong(), Math::min);
        }
        return ok(new ClientFrame.Resume(ref, wanted, List.copyOf(faults)));
    }

    /**
     * What is wrong with the frame's text field {@code field}, naming it, or null when it is a string that can be
     * stored and answered back exactly (no NUL, no unpaired surrogate).
     */
    static String textProblem(JsonNode frame, String type, String field) {
        JsonNode value = frame.get(field);
        if (value == null || value.isNull()) {
            return type + " needs " + field + ".";
        }
        if (!value.isTextual()) {
            return field + " must be a string.";
        }
        String why = Text.whyNot(value.asText());
        return why == null ? null : field + " " + why + ".";
    }

    /**
     * A whole number from 0, as REST takes it: JSON does not tell {@code 1} from {@code 1.0} (RFC 8259, section 6),
     * so both are 1; {@code 1.5} is not whole.
     */
    private static boolean wholeFromZero(JsonNode value) {
        return value != null
                && value.isNumber()
                && value.canConvertToExactIntegral()
                && value.canConvertToLong()
                && value.asLong() >= 0;
    }

    /** A conversation id that is not a UUID names no conversation: {@code not_found} with the id as sent. */
    private static Error noSuchConversation(String ref, String conversationId) {
        return Error.about(ref, "not_found", "No such conversation.", conversationId);
    }

    private static UUID uuid(String value) {
        if (value == null) {
            return null;
        }
        try {
            return io.parley.kit.Uuids.parse(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Decoded ok(ClientFrame frame) {
        return new Decoded.Frame(frame);
    }

    private static Decoded refused(String type, Error error) {
        return new Decoded.Refused(type, error);
    }
}

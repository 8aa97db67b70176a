package io.parley.gateway.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.infra.fuzz.Frames;
import io.parley.infra.fuzz.Inputs;
import io.parley.kit.Text;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link FrameCodec#decode} on generated frames ({@link Frames}, docs/reliability.md): every frame type of docs/api.md with fields
 * missing, of the wrong JSON type, holding NUL, lone surrogates, bidirectional and zero-width marks, emoji or tens of
 * thousands of characters, numbers past any Java type, duplicate keys, deep nesting, and text that is not JSON. It
 * never throws; every refusal is the documented {@code invalid} naming a field of the frame (or, for text that is not
 * a JSON object, none) or {@code not_found} naming the conversation id as sent; every answer encodes; and every
 * frame it lets through holds only text that can be stored.
 */
public class GeneratedFramesTest {

    /** Frames per run (times {@code -Dparley.fuzz.scale}). */
    private static final int FRAMES = 20_000;

    private static final ObjectMapper PLAIN = new ObjectMapper();

    /** The fields docs/api.md lets an {@code invalid} error name. */
    private static final Set<String> FIELDS = Set.of(
            "ref",
            "type",
            "conversationId",
            "clientMessageId",
            "content",
            "token",
            "state",
            "seq",
            "positions",
            "attachments");

    private static final Pattern ATTACHMENT_PART = Pattern.compile("^attachments\\[\\d+](\\.id)?$");

    @Test
    void everyGeneratedFrameIsDecodedOrRefusedAsDocumented() throws Exception {
        long seed = Inputs.seed();
        Inputs in = new Inputs(seed);
        int frames = Inputs.scaled(FRAMES);
        int refused = 0;
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < frames; i++) {
            String frame = Frames.frame(in);
            try {
                String wrong = check(frame);
                if (wrong != null) {
                    failures.add(wrong + "\n    frame: " + shown(frame));
                }
                if (FrameCodec.decode(frame) instanceof Decoded.Refused) {
                    refused++;
                }
            } catch (Throwable e) {
                failures.add("threw " + e + "\n    frame: " + shown(frame));
            }
        }
        System.out.println("[fuzz] gateway frame decoder: " + frames + " generated frames (" + refused
                + " refused), seed " + seed + ", replay with -D" + Inputs.SEED_PROPERTY + "=" + seed);
        assertThat(failures)
                .as("frames decoded against docs/api.md (seed " + seed + ")")
                .isEmpty();
    }

    /** What the decoder got wrong about {@code text}, or null. */
    static String check(String text) throws Exception {
        Decoded decoded = FrameCodec.decode(text);
        if (decoded == null) {
            return "decoded to null";
        }
        if (decoded instanceof Decoded.Refused refused) {
            ServerFrame.Error error = refused.error();
            String encoded = FrameCodec.encode(error);
            JsonNode back = PLAIN.readTree(encoded);
            if (!"error".equals(back.path("type").asText())) {
                return "the refusal does not encode as an error frame: " + encoded;
            }
            return wrongRefusal(text, error);
        }
        ClientFrame frame = ((Decoded.Frame) decoded).frame();
        List<String> texts = new ArrayList<>();
        texts.add(frame.ref());
        if (frame instanceof ClientFrame.Send send) {
            texts.add(send.clientMessageId());
            texts.add(send.content());
            UUID.fromString(send.clientMessageId());
        } else if (frame instanceof ClientFrame.Auth auth) {
            texts.add(auth.token());
        } else if (frame instanceof ClientFrame.Resume resume) {
            for (ServerFrame.Error fault : resume.faults()) {
                String wrong = wrongRefusal(text, fault);
                if (wrong != null) {
                    return "resume: " + wrong;
                }
                FrameCodec.encode(fault);
            }
        } else if (frame instanceof ClientFrame.Read read && read.seq() < 0) {
            return "a read with a negative seq went through";
        }
        for (String t : texts) {
            if (!Text.isValid(t)) {
                return "a frame went through with text that cannot be stored: " + shown(t);
            }
        }
        return null;
    }

    private static String wrongRefusal(String text, ServerFrame.Error error) {
        if (!Text.isValid(error.ref()) || !Text.isValid(error.conversationId())) {
            return "the error echoes text that cannot be encoded";
        }
        switch (error.code()) {
            case "invalid" -> {
                if (error.field() == null) {
                    return isObject(text) ? "invalid without a field for a JSON object: " + error.message() : null;
                }
                if (!FIELDS.contains(error.field())
                        && !ATTACHMENT_PART.matcher(error.field()).matches()) {
                    return "invalid names an undocumented field: " + error.field();
                }
                return null;
            }
            case "not_found" -> {
                if (error.conversationId() == null) {
                    return "not_found without the conversationId";
                }
                return null;
            }
            default -> {
                return "an undocumented code for a frame's own fault: " + error.code();
            }
        }
    }

    /**
     * Whether {@code text} is one JSON object as docs/api.md reads a frame: nothing after it, and no object in it with
     * the same key twice (such a frame is refused as a whole, without a field).
     */
    private static boolean isObject(String text) {
        try {
            return PLAIN.readerFor(JsonNode.class)
                    .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .with(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                    .<JsonNode>readValue(text)
                    .isObject();
        } catch (Exception e) {
            return false;
        }
    }

    private static String shown(String s) {
        StringBuilder out = new StringBuilder();
        String cut = s.length() > 300 ? s.substring(0, 300) + "...(" + s.length() + " chars)" : s;
        for (char c : cut.toCharArray()) {
            out.append(c < 0x20 || Character.isSurrogate(c) ? String.format("\\u%04X", (int) c) : String.valueOf(c));
        }
        return out.toString();
    }
}

package io.parley.kit;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;

/**
 * Applies {@link Text}'s rule to every {@code String} a request body binds to a record or class (lists and arrays of
 * strings included): a number or a boolean where text is expected, or a string holding U+0000 or an unpaired
 * surrogate, fails deserialization with
 * {@link InvalidText}, which {@link ProblemMappers} answers as a 400 naming the field by its JSON path. Strings inside
 * free JSON ({@code JsonNode}, {@code Map<String, Object>}) are not bound here: the code that takes them checks them.
 */
@Singleton
public class StrictText implements ObjectMapperCustomizer {

    /** A string in a request body that {@link Text} refuses; its path names the field. */
    public static final class InvalidText extends MismatchedInputException {
        final String reason;

        InvalidText(JsonParser parser, String reason) {
            super(parser, reason, String.class);
            this.reason = reason;
        }
    }

    /**
     * Takes a JSON string only (a number or a boolean is refused, naming its field), and leaves {@link Text}'s rule to
     * the resource: for a body whose check names every wrong part at once, a string holding U+0000 included. Put it on
     * a field with {@code @JsonDeserialize(using = StrictText.StringOnly.class)}.
     */
    public static class StringOnly extends StringDeserializer {
        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonToken token = p.currentToken();
            if (token == JsonToken.VALUE_NUMBER_INT
                    || token == JsonToken.VALUE_NUMBER_FLOAT
                    || token == JsonToken.VALUE_TRUE
                    || token == JsonToken.VALUE_FALSE) {
                // Jackson would store 5 as "5": a field that is text takes a JSON string and nothing else
                throw new InvalidText(p, "must be a string");
            }
            return super.deserialize(p, ctxt);
        }
    }

    static final class Deserializer extends StringOnly {
        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String value = super.deserialize(p, ctxt);
            String why = Text.whyNot(value);
            if (why != null) {
                throw new InvalidText(p, why);
            }
            return value;
        }
    }

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(new SimpleModule("parley-strict-text").addDeserializer(String.class, new Deserializer()));
    }
}

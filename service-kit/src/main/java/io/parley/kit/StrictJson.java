package io.parley.kit;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Request bodies are one JSON value whose objects name each key once. RFC 8259 (section 4) leaves an object with a
 * key twice to each parser ("names SHOULD be unique"); bound to a record, Jackson failed on it with an error of its
 * own definitions, answered 500. Here the parser refuses it ({@code JsonParseException}, "Duplicate field"), and text
 * after the value ({@code {"a":1}{"b":2}}) is refused as well rather than ignored: {@link ProblemMappers} answers
 * both with a 400.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }
}

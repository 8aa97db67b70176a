package io.parley.gateway.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.CustomDefinition;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.module.jackson.JacksonModule;
import com.github.victools.jsonschema.module.jackson.JacksonOption;
import io.parley.events.Event;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The JSON Schemas (draft 2020-12) of the WebSocket frames and of the Kafka events, generated from their
 * types ({@link ServerFrame}, {@link Event} and the records that implement them) with victools' generator and its
 * Jackson module, so that they say what the encoders write: a record's components, the {@code type} names of
 * {@code @JsonTypeName}, enums as their wire words. docs/schemas keeps them for clients (the TypeScript SDK's types
 * can be generated from them); this test fails when a type changed and the copy did not. Run it with
 * {@code -Dparley.schemas.write=true} to write the copies again.
 */
class ContractSchemasTest {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    private static final Path DOCS =
            Path.of(System.getProperty("user.dir")).resolve("../docs/schemas").normalize();

    /**
     * @param typeProperty whether Jackson's type information adds the {@code type} property (frames: yes; events
     *                     carry {@code type} as a component of their own, named below from {@code @JsonSubTypes})
     */
    static SchemaGenerator generator(boolean typeProperty) {
        SchemaGeneratorConfigBuilder config = new SchemaGeneratorConfigBuilder(
                        SchemaVersion.DRAFT_2020_12, OptionPreset.PLAIN_JSON)
                .with(
                        typeProperty
                                ? new JacksonModule(JacksonOption.FLATTENED_ENUMS_FROM_JSONVALUE)
                                : new JacksonModule(
                                        JacksonOption.FLATTENED_ENUMS_FROM_JSONVALUE,
                                        JacksonOption.IGNORE_TYPE_INFO_TRANSFORM))
                .with(Option.EXTRA_OPEN_API_FORMAT_VALUES, Option.NULLABLE_FIELDS_BY_DEFAULT);
        config.forTypesInGeneral()
                .withSubtypeResolver((declared, context) ->
                        declared.getErasedType().isSealed()
                                ? Arrays.stream(declared.getErasedType().getPermittedSubclasses())
                                        .map(sub -> context.getTypeContext().resolveSubtype(declared, sub))
                                        .toList()
                                : null)
                .withCustomDefinitionProvider((type, context) -> JsonNode.class.isAssignableFrom(type.getErasedType())
                        ? new CustomDefinition(
                                context.getGeneratorConfig().createObjectNode().put("description", "any JSON value"),
                                true)
                        : null);
        // An event's type is one of the names Event's @JsonSubTypes gives its record: say so, and name the record.
        config.forFields().withInstanceAttributeOverride((attributes, field, context) -> {
            java.util.List<String> names = typeNames(field.getDeclaringType().getErasedType());
            if (field.getName().equals("type") && names.size() == 1) {
                attributes.put("const", names.get(0));
            } else if (field.getName().equals("type") && names.size() > 1) {
                names.forEach(attributes.putArray("enum")::add);
            }
        });
        config.forTypesInGeneral().withTypeAttributeOverride((attributes, scope, context) -> {
            if (!typeNames(scope.getType().getErasedType()).isEmpty()) {
                attributes.put("title", scope.getType().getErasedType().getSimpleName());
            }
        });
        return new SchemaGenerator(config.build());
    }

    /** The names {@link Event}'s {@code @JsonSubTypes} gives {@code type} (none for any other class). */
    static java.util.List<String> typeNames(Class<?> type) {
        return Arrays.stream(Event.class
                        .getAnnotation(com.fasterxml.jackson.annotation.JsonSubTypes.class)
                        .value())
                .filter(sub -> sub.value() == type)
                .flatMap(sub ->
                        sub.names().length > 0 ? Arrays.stream(sub.names()) : java.util.stream.Stream.of(sub.name()))
                .toList();
    }

    /** The records that implement {@code sealed}, at any depth. */
    static java.util.List<Class<?>> records(Class<?> sealed) {
        return Arrays.stream(sealed.getPermittedSubclasses())
                .flatMap(sub -> sub.isSealed() ? records(sub).stream() : java.util.stream.Stream.of(sub))
                .toList();
    }

    static Map<String, ObjectNode> schemas() {
        ObjectNode frames = generator(true).generateSchema(ServerFrame.class);
        frames.put("title", "Parley WebSocket frames the gateway sends (docs/api.md)");
        ObjectNode events = generator(false).generateSchema(Event.class);
        events.put("title", "Parley Kafka events (event-contracts; docs/architecture.md)");
        return Map.of("server-frames.schema.json", frames, "events.schema.json", events);
    }

    @Test
    void theCheckedInSchemasAreTheOnesTheTypesGive() throws IOException {
        boolean write = Boolean.getBoolean("parley.schemas.write");
        for (Map.Entry<String, ObjectNode> schema : schemas().entrySet()) {
            Path copy = DOCS.resolve(schema.getKey());
            String generated = JSON.writeValueAsString(JSON.treeToValue(schema.getValue(), Object.class)) + "\n";
            if (write) {
                Files.createDirectories(DOCS);
                Files.writeString(copy, generated);
            }
            assertThat(copy)
                    .as("docs/schemas/%s: run this test with -Dparley.schemas.write=true", schema.getKey())
                    .exists();
            assertThat(Files.readString(copy))
                    .as(
                            "docs/schemas/%s is stale: run this test with " + "-Dparley.schemas.write=true",
                            schema.getKey())
                    .isEqualTo(generated);
        }
    }

    @Test
    void everyFrameTypeAndEventTypeIsDescribed() {
        String frames = schemas().get("server-frames.schema.json").toString();
        for (Class<?> type : ServerFrame.class.getPermittedSubclasses()) {
            String name = type.getAnnotation(com.fasterxml.jackson.annotation.JsonTypeName.class)
                    .value();
            assertThat(frames).as(name).contains("\"const\":\"" + name + "\"");
        }
        String events = schemas().get("events.schema.json").toString();
        assertThat(records(Event.class)).hasSizeGreaterThan(8).allSatisfy(type -> {
            assertThat(typeNames(type))
                    .as(type.getSimpleName())
                    .isNotEmpty()
                    .allSatisfy(name -> assertThat(events).contains("\"" + name + "\""));
            assertThat(events).contains("\"title\":\"" + type.getSimpleName() + "\"");
        });
    }

    /**
     * The client frames' schema is written by hand (the decoder reads frames field by field): it names exactly the
     * frame types the decoder knows, one per {@link ClientFrame} record, and each of its examples decodes to the
     * record of its title.
     */
    @Test
    void theClientFramesSchemaNamesEveryFrameTheDecoderKnowsAndItsExamplesDecode() throws IOException {
        JsonNode schema =
                JSON.readTree(DOCS.resolve("client-frames.schema.json").toFile());
        java.util.Set<String> titles = new java.util.TreeSet<>();
        for (JsonNode frame : schema.get("anyOf")) {
            String title = frame.get("title").asText();
            titles.add(title);
            assertThat(frame.get("examples")).as(title).isNotEmpty();
            for (JsonNode example : frame.get("examples")) {
                Decoded decoded = FrameCodec.decode(example.toString());
                assertThat(decoded).as(example.toString()).isInstanceOf(Decoded.Frame.class);
                assertThat(((Decoded.Frame) decoded).frame().getClass().getSimpleName())
                        .isEqualTo(title);
                assertThat(frame.get("properties").get("type").get("const").asText())
                        .isEqualTo(example.get("type").asText());
            }
        }
        assertThat(titles)
                .isEqualTo(Arrays.stream(ClientFrame.class.getPermittedSubclasses())
                        .map(Class::getSimpleName)
                        .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new)));
        assertThat(FrameCodec.decode("{\"type\":\"wave\"}")).isInstanceOf(Decoded.Refused.class);
    }
}

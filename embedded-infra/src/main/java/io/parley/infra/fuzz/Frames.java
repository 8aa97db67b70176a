package io.parley.infra.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Generated WebSocket frames of every type a client sends (docs/api.md, WebSocket; docs/schemas/client-frames.schema.json):
 * {@code ping}, {@code send} (with attachments now and then), {@code auth}, {@code typing}, {@code read},
 * {@code resume}, a type in the wrong letter case, an unknown or empty type, and text that is not a frame at all
 * (malformed JSON, any JSON value, deep nesting). Fields come from {@link Inputs}: missing, of the wrong JSON type,
 * twice, holding NUL, lone surrogates, marks, emoji or tens of thousands of characters. The gateway's
 * {@code GeneratedFramesTest} feeds them to its decoder, its {@code GeneratedFramesOverSocketTest} and the harness's
 * {@code fuzz} scenario to live sockets.
 */
public final class Frames {

    /** A generated frame's text, and its kind: its frame type as generated, or what it is instead. */
    public record Frame(String kind, String text) {}

    private Frames() {}

    /** A generated frame's text, its conversation ids UUIDs of nothing (or not UUIDs). */
    public static String frame(Inputs in) {
        return generate(in, List.of()).text();
    }

    /**
     * A generated frame: mostly an object of a frame type with generated fields, else any JSON or none. Its
     * conversation ids are now and then one of {@code conversations} (ids that name something; none when empty).
     */
    public static Frame generate(Inputs in, List<String> conversations) {
        int roll = in.random().nextInt(20);
        if (roll == 0) {
            return new Frame("malformed", in.malformed());
        }
        if (roll == 1) {
            return new Frame("any JSON", in.anyJson(3));
        }
        if (roll == 2) {
            return new Frame("deep nesting", in.deepNesting());
        }
        Supplier<String> ref = () -> in.field(() -> in.chance(0.5)
                ? Inputs.quote("r" + in.random().nextInt(1000))
                : String.valueOf(in.random().nextInt(1000)));
        Supplier<String> conversation = () -> in.field(() -> Inputs.quote(
                in.chance(0.8)
                        ? (!conversations.isEmpty() && in.chance(0.5)
                                ? in.pick(conversations)
                                : UUID.randomUUID().toString())
                        : in.pick("not-a-uuid", "1-1-1-1-1", "")));
        String type = in.pick("ping", "send", "auth", "typing", "read", "resume", "PING", "unknown", "");
        Map<String, Supplier<String>> fields = switch (type) {
            case "send" ->
                Inputs.fields(
                        "ref",
                        ref,
                        "conversationId",
                        conversation,
                        "clientMessageId",
                        () -> in.field(() -> Inputs.quote(UUID.randomUUID().toString())),
                        "content",
                        () -> in.field(in::jsonText));
            case "auth" -> Inputs.fields("ref", ref, "token", () -> in.field(in::jsonText));
            case "typing" ->
                Inputs.fields(
                        "ref",
                        ref,
                        "conversationId",
                        conversation,
                        "state",
                        () -> in.field(() -> Inputs.quote(in.pick("start", "stop", "START"))));
            case "read" ->
                Inputs.fields(
                        "ref",
                        ref,
                        "conversationId",
                        conversation,
                        "seq",
                        () -> in.field(() -> String.valueOf(in.random().nextInt(10))));
            case "resume" -> Inputs.fields("ref", ref, "positions", () -> in.field(() -> positions(in, conversations)));
            default -> Inputs.fields("ref", ref);
        };
        String object = in.object(fields);
        String typeMember = "\"type\":" + (in.chance(0.9) ? Inputs.quote(type) : in.field(in::jsonText));
        String body = object.substring(1, object.length() - 1);
        String withType = "{" + typeMember + (body.isEmpty() ? "" : "," + body);
        if ("send".equals(type) && in.chance(0.3)) {
            withType += ",\"attachments\":" + in.field(() -> attachments(in));
        }
        return new Frame(type.isEmpty() ? "(empty type)" : type, withType + "}");
    }

    private static String positions(Inputs in, List<String> conversations) {
        List<String> members = new ArrayList<>();
        int n = in.random().nextInt(4);
        for (int i = 0; i < n; i++) {
            String key = in.chance(0.7)
                    ? Inputs.quote(
                            !conversations.isEmpty() && in.chance(0.5)
                                    ? in.pick(conversations)
                                    : UUID.randomUUID().toString())
                    : in.jsonText();
            members.add(key + ":" + in.field(() -> String.valueOf(in.random().nextInt(10))));
        }
        return "{" + String.join(",", members) + "}";
    }

    private static String attachments(Inputs in) {
        List<String> items = new ArrayList<>();
        int n = in.random().nextInt(in.chance(0.1) ? 13 : 3);
        for (int i = 0; i < n; i++) {
            items.add(
                    in.chance(0.7)
                            ? in.object(Inputs.fields(
                                    "id",
                                    () -> in.field(
                                            () -> Inputs.quote(UUID.randomUUID().toString()))))
                            : in.anyJson(1));
        }
        return "[" + String.join(",", items) + "]";
    }
}

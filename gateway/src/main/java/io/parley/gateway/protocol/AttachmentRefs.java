package io.parley.gateway.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.kit.Text;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code attachments} of a {@code send} frame: a list of at most {@link #MAX} objects {@code {"id": uuid}}, each
 * the id of an upload ({@code POST /api/conversations/{id}/attachments}). Only the shape is checked here; whether
 * each id is an upload of the sender in that conversation, not attached yet, is the message-service's to say.
 */
public final class AttachmentRefs {

    /** At most this many attachments per message (the message-service's own limit, docs/api.md). */
    public static final int MAX = 10;

    /** A UUID in its 8-4-4-4-12 hexadecimal form (RFC 9562), either case. */

    /** The path a refusal's detail starts with: {@code attachments}, {@code attachments[2]} or {@code attachments[2].id}. */
    private static final Pattern DETAIL_PATH = Pattern.compile("^(content|attachments(?:\\[\\d+](?:\\.id)?)?)[ .]");

    private AttachmentRefs() {}

    /**
     * The ids, in the order given, or what is wrong: {@code field} names the first wrong part by its path and
     * {@code problem} says how, naming it too.
     *
     * @param ids     the ids in RFC 9562's lower-case form; empty when there are none (then field is null)
     * @param field   null when the attachments are well formed, else {@code attachments}, {@code attachments[i]} or
     *                {@code attachments[i].id}
     * @param problem the message of the {@code invalid} error frame, or null
     */
    public record Result(List<UUID> ids, String field, String problem) {
        static Result wrong(String field, String problem) {
            return new Result(List.of(), field, problem);
        }
    }

    /**
     * Reads the frame's {@code attachments} value: absent or null is none; otherwise a list of at most {@link #MAX}
     * JSON objects, each with exactly the key {@code id}, a string that can be stored (no NUL, no unpaired
     * surrogate, {@link Text}) and is a UUID.
     *
     * @param value the frame's {@code attachments}, or null when it has none
     * @return the ids, or the first wrong part (never throws)
     */
    public static Result read(JsonNode value) {
        if (value == null || value.isNull()) {
            return new Result(List.of(), null, null);
        }
        if (!value.isArray()) {
            return Result.wrong("attachments", "attachments must be a list of {id} objects.");
        }
        if (value.size() > MAX) {
            return Result.wrong("attachments", "attachments holds at most " + MAX + " files.");
        }
        List<UUID> ids = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            String path = "attachments[" + i + "]";
            JsonNode item = value.get(i);
            if (!item.isObject()) {
                return Result.wrong(path, path + " must be a JSON object.");
            }
            JsonNode id = item.get("id");
            if (id == null || id.isNull()) {
                return Result.wrong(path + ".id", path + ".id is missing: each attachment is {id}.");
            }
            if (!id.isTextual()) {
                return Result.wrong(path + ".id", path + ".id must be a string.");
            }
            String why = Text.whyNot(id.asText());
            if (why != null) {
                return Result.wrong(path + ".id", path + ".id " + why + ".");
            }
            if (!io.parley.kit.Uuids.isUuid(id.asText())) {
                return Result.wrong(path + ".id", path + ".id must be a UUID.");
            }
            for (Iterator<String> keys = item.fieldNames(); keys.hasNext(); ) {
                if (!"id".equals(keys.next())) {
                    // the key is not echoed: one that cannot be encoded could not be answered back as it was sent
                    return Result.wrong(path, path + " has a key other than id.");
                }
            }
            ids.add(io.parley.kit.Uuids.parse(id.asText().toLowerCase(Locale.ROOT)));
        }
        return new Result(List.copyOf(ids), null, null);
    }

    /** The {@code attachments} of the message-service's send body: {@code [{"id": "..."}]}, in the same order. */
    public static JsonArray body(List<UUID> ids) {
        JsonArray array = new JsonArray();
        ids.forEach(id -> array.add(new JsonObject().put("id", id.toString())));
        return array;
    }

    /**
     * The part of a send that the message-service's refusal names, when its {@code detail} starts with
     * {@code content} or an attachment's path ({@code attachments[0] is attached to another message.} names
     * {@code attachments[0]}; {@code content is required unless there are attachments.} names {@code content}), else
     * null.
     */
    public static String fieldOf(String detail) {
        if (detail == null) {
            return null;
        }
        Matcher m = DETAIL_PATH.matcher(detail);
        return m.find() ? m.group(1) : null;
    }
}

package io.parley.message.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.kit.Problem;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;

/**
 * The rule for a send's {@code attachments} (the files contract, section 2): a list of at most {@link #MAX} objects
 * that each have exactly the key {@code id}, a UUID of an upload. A send that breaks it is refused whole with a 400
 * naming the part by its JSON path: {@code attachments[1].id must be a UUID.} Whether each id is an upload the sender
 * may attach is decided when the message is stored.
 */
public final class Attachments {

    /** The most attachments a message may have. */
    public static final int MAX = 10;

    /** A UUID in its canonical text form (36 characters, hex digits in any case). */
    private Attachments() {}

    /**
     * The upload ids of a send, in order.
     *
     * @param attachments the body's {@code attachments} as a JSON tree (null or JSON null: none)
     * @return the ids, in the order given, never null
     * @throws jakarta.ws.rs.WebApplicationException a 400 naming the first part that is wrong
     */
    public static List<UUID> check(JsonNode attachments) {
        if (attachments == null || attachments.isNull()) {
            return List.of();
        }
        if (!attachments.isArray()) {
            throw Problem.badRequest("attachments must be a list of objects {\"id\": upload id}.");
        }
        if (attachments.size() > MAX) {
            throw Problem.badRequest(
                    "attachments is a list of at most " + MAX + " objects; it has " + attachments.size() + ".");
        }
        List<UUID> ids = new ArrayList<>(attachments.size());
        for (int i = 0; i < attachments.size(); i++) {
            String path = "attachments[" + i + "]";
            JsonNode attachment = attachments.get(i);
            if (!attachment.isObject()) {
                throw Problem.badRequest(path + " must be a JSON object.");
            }
            for (Iterator<String> keys = attachment.fieldNames(); keys.hasNext(); ) {
                String key = keys.next();
                if (!key.equals("id")) {
                    throw Problem.badRequest(path + " may only have the key id.");
                }
            }
            JsonNode id = attachment.get("id");
            if (id == null || !id.isTextual() || !io.parley.kit.Uuids.isUuid(id.textValue())) {
                throw Problem.badRequest(path + ".id must be a UUID.");
            }
            UUID uuid = io.parley.kit.Uuids.parse(id.textValue());
            int earlier = ids.indexOf(uuid);
            if (earlier >= 0) {
                throw Problem.badRequest(path + " is attachments[" + earlier + "] again.");
            }
            ids.add(uuid);
        }
        return ids;
    }
}

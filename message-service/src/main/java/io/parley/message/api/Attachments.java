package io.parley.message.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.kit.Problem;
import io.parley.kit.Text;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules for a message's attachments: a list of at most {@link #MAX} free JSON objects, whose every string and every
 * key can be stored and answered back exactly ({@link Text}). A send that breaks one is refused whole, with a 400 that
 * names the part by its JSON path: {@code attachments[2].name contains U+0000 (NUL).}
 */
public final class Attachments {

    /** The most attachments a message may have. */
    public static final int MAX = 10;

    private Attachments() {
    }

    /**
     * The attachments of a send, checked and turned into plain Java values (maps, lists, strings, numbers, booleans and
     * nulls) as they are stored.
     *
     * @param attachments the body's {@code attachments} as a JSON tree (null or JSON null: none)
     * @return one map per attachment, in order, never null
     * @throws jakarta.ws.rs.WebApplicationException a 400 naming the first part that is wrong
     */
    public static List<Map<String, Object>> check(JsonNode attachments) {
        if (attachments == null || attachments.isNull()) {
            return List.of();
        }
        if (!attachments.isArray()) {
            throw Problem.badRequest("attachments must be a list of JSON objects.");
        }
        if (attachments.size() > MAX) {
            throw Problem.badRequest("attachments is a list of at most " + MAX + " objects; it has "
                    + attachments.size() + ".");
        }
        List<Map<String, Object>> checked = new ArrayList<>(attachments.size());
        for (int i = 0; i < attachments.size(); i++) {
            String path = "attachments[" + i + "]";
            JsonNode attachment = attachments.get(i);
            if (!attachment.isObject()) {
                throw Problem.badRequest(path + " must be a JSON object.");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> object = (Map<String, Object>) value(path, attachment);
            checked.add(object);
        }
        return checked;
    }

    /** The Java value of {@code node}, once every string and key in it is checked. */
    private static Object value(String path, JsonNode node) {
        if (node.isTextual()) {
            String why = Text.whyNot(node.textValue());
            if (why != null) {
                throw Problem.badRequest(path + " " + why + ".");
            }
            return node.textValue();
        }
        if (node.isObject()) {
            Map<String, Object> object = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String why = Text.whyNot(field.getKey());
                if (why != null) {
                    throw Problem.badRequest(path + " has a key that " + why + ".");
                }
                object.put(field.getKey(), value(path + "." + field.getKey(), field.getValue()));
            }
            return Collections.unmodifiableMap(object);
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            for (int i = 0; i < node.size(); i++) {
                list.add(value(path + "[" + i + "]", node.get(i)));
            }
            return Collections.unmodifiableList(list);
        }
        if (node.isNumber()) {
            if (((node.isDouble() || node.isFloat()) && !Double.isFinite(node.doubleValue()))
                    || ((node.isBigInteger() || node.isBigDecimal()) && !Double.isFinite(node.doubleValue()))
                    || (node.isBigInteger() && !node.canConvertToLong())) {
                throw Problem.badRequest(path + " is a number too large to store.");
            }
            return node.numberValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isNull()) {
            return null;
        }
        throw Problem.badRequest(path + " is not a JSON value.");
    }
}

package io.parley.kit;

import java.util.UUID;

/**
 * UUIDs as the client contract takes them: only RFC 9562's string form, 8-4-4-4-12 hexadecimal digits (either case).
 * {@link UUID#fromString} is lenient ({@code 1-1-1-1-1} and {@code +1-1-1-1-1} read as
 * {@code 00000001-0001-0001-0001-000000000001}), so that two spellings would name one message or conversation.
 */
public final class Uuids {

    private Uuids() {}

    /**
     * @param value the text, e.g. a path segment or a JSON string
     * @return the UUID it spells
     * @throws IllegalArgumentException when {@code value} is null or not exactly the 36-character form
     */
    public static UUID parse(String value) {
        if (!isUuid(value)) {
            throw new IllegalArgumentException("not a UUID in RFC 9562's string form");
        }
        return UUID.fromString(value);
    }

    /** Whether {@code value} is a UUID in RFC 9562's string form (36 characters, dashes at 8, 13, 18 and 23). */
    public static boolean isUuid(String value) {
        if (value == null || value.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = value.charAt(i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? c != '-' : !hex(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean hex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}

package io.parley.kit;

/**
 * The one rule for text a client sends: it is stored and answered back exactly, or refused. PostgreSQL's {@code text}
 * and {@code jsonb} cannot hold U+0000, and a UTF-16 surrogate that is not half of a pair is not a Unicode scalar
 * value, so it has no UTF-8 encoding (RFC 3629, section 3) and would not come back as it was sent. Strings holding
 * either are refused with a 400 (or a WebSocket {@code invalid} error) that names the field; every other string,
 * right-to-left and zero-width marks, emoji and other control characters included, round-trips exactly.
 */
public final class Text {

    private Text() {}

    /**
     * Why {@code s} cannot be stored as it is, or null when it can (null itself is not this rule's business).
     *
     * @return null, {@code "contains U+0000 (NUL)"} or {@code "contains an unpaired UTF-16 surrogate at index N"}
     */
    public static String whyNot(String s) {
        if (s == null) {
            return null;
        }
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c == 0) {
                return "contains U+0000 (NUL)";
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "contains an unpaired UTF-16 surrogate at index " + i;
            }
            if (Character.isLowSurrogate(c)) {
                return "contains an unpaired UTF-16 surrogate at index " + i;
            }
        }
        return null;
    }

    /** True when {@code s} is null or can be stored and answered back exactly. */
    public static boolean isValid(String s) {
        return whyNot(s) == null;
    }

    /**
     * {@code s} itself when it can be stored; otherwise a 400 problem whose detail is the field's name and the reason,
     * e.g. {@code "content contains U+0000 (NUL)"}.
     *
     * @param field the name the client knows the value by (a JSON path, a parameter or a header)
     */
    public static String require(String field, String s) {
        String why = whyNot(s);
        if (why != null) {
            throw Problem.badRequest(field + " " + why + ".");
        }
        return s;
    }
}

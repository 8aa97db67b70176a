package io.parley.message.api;

/**
 * What a {@code Range} request header asks of a representation of {@code size} bytes (RFC 9110, section 14.1.2 and
 * 14.2), as the files contract answers it: one satisfiable range of {@code bytes} → {@code 206} with exactly those
 * bytes; none satisfiable → {@code 416}; no header, another unit, a header that does not parse, or several ranges →
 * the whole representation ({@code 200}; RFC 9110 lets a server ignore Range).
 *
 * @param kind  what to answer
 * @param first the first byte's offset ({@link Kind#PARTIAL} only)
 * @param last  the last byte's offset, inclusive ({@link Kind#PARTIAL} only)
 */
public record ByteRange(Kind kind, long first, long last) {

    public enum Kind {
        WHOLE,
        PARTIAL,
        UNSATISFIABLE
    }

    private static final ByteRange WHOLE = new ByteRange(Kind.WHOLE, 0, -1);
    private static final ByteRange UNSATISFIABLE = new ByteRange(Kind.UNSATISFIABLE, 0, -1);

    /** How many bytes a partial answer carries. */
    public long length() {
        return last - first + 1;
    }

    /**
     * @param header the {@code Range} header (null: none)
     * @param size   the representation's length in bytes (at least 0)
     * @return what to answer
     */
    public static ByteRange parse(String header, long size) {
        if (header == null) {
            return WHOLE;
        }
        String value = header.strip();
        int eq = value.indexOf('=');
        if (eq < 0 || !value.substring(0, eq).strip().equalsIgnoreCase("bytes")) {
            return WHOLE;
        }
        String set = value.substring(eq + 1).strip();
        if (set.isEmpty() || set.indexOf(',') >= 0) {
            // several ranges (or an empty list element): answered whole, as the contract decides
            return WHOLE;
        }
        int dash = set.indexOf('-');
        if (dash < 0) {
            return WHOLE;
        }
        String from = set.substring(0, dash).strip();
        String to = set.substring(dash + 1).strip();
        if (from.isEmpty()) {
            // suffix-range: the last n bytes
            Long n = digits(to);
            if (n == null) {
                return WHOLE;
            }
            if (n == 0 || size == 0) {
                return UNSATISFIABLE;
            }
            return new ByteRange(Kind.PARTIAL, Math.max(0, size - n), size - 1);
        }
        Long first = digits(from);
        if (first == null) {
            return WHOLE;
        }
        Long last;
        if (to.isEmpty()) {
            last = Long.MAX_VALUE;
        } else {
            last = digits(to);
            if (last == null || last < first) {
                return WHOLE; // invalid syntax: ignored
            }
        }
        if (first >= size) {
            return UNSATISFIABLE;
        }
        return new ByteRange(Kind.PARTIAL, first, Math.min(last, size - 1));
    }

    /** A non-negative decimal number (1*DIGIT); numbers beyond a long are taken as the largest long. */
    private static Long digits(String s) {
        if (s.isEmpty()) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}

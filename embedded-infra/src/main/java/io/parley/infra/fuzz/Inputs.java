package io.parley.infra.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Generated client input for the tests that check that no input, however odd, makes a service fail (docs/reliability.md):
 * strings mixing NUL, lone UTF-16 surrogates, right-to-left and zero-width marks (U+200B..U+200F, U+202A..U+202E,
 * U+2066..U+2069), emoji and very long runs; JSON values of every type where another is expected, duplicate keys,
 * numbers no Java type holds ({@code 1e400}, 2^63, {@code -0}), deep nesting and text that is not JSON at all; path
 * segments, query strings and headers likewise.
 *
 * <p>Everything comes from one {@link Random} seeded by {@link #seed()}, so a failing run is replayed exactly with
 * {@code -Dparley.fuzz.seed=<the seed it printed>}. JSON is produced as text (never through a mapper), so that a lone
 * surrogate travels as its {@code \uD800} escape and the server's parser is the one that makes it.
 */
public final class Inputs {

    /** The system property that fixes the seed of every generator, to replay a run. */
    public static final String SEED_PROPERTY = "parley.fuzz.seed";

    /** The system property that multiplies every test's number of generated inputs (default 1), for longer runs. */
    public static final String SCALE_PROPERTY = "parley.fuzz.scale";

    /** Marks that change the direction or the width of text (Unicode bidirectional and format characters). */
    static final char[] MARKS = {
        '\u200B', '\u200C', '\u200D', '\u200E', '\u200F', '\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066',
        '\u2067', '\u2068', '\u2069', '\uFEFF'
    };

    private static final String[] EMOJI = {
        "\uD83D\uDE00", "\uD83D\uDC69\u200D\uD83D\uDC69\u200D\uD83D\uDC67", "\uD83C\uDDEB\uD83C\uDDF7", "\u2764\uFE0F"
    };

    private static final String[] NUMBERS = {
        "1e400",
        "-1e400",
        "9223372036854775808",
        "-9223372036854775809",
        "9223372036854775807",
        "18446744073709551616",
        "-0",
        "-0.0",
        "0.5",
        "1E2",
        "1e-400",
        "123456789012345678901234567890",
        "-1",
        "0",
        "1",
        "2147483648",
        "4.9e-324"
    };

    private static final String[] MALFORMED = {
        "",
        " ",
        "{",
        "}",
        "[",
        "{\"a\":}",
        "{\"a\" 1}",
        "{'a':1}",
        "{a:1}",
        "{\"a\":1,}",
        "[1,]",
        "{\"a\":1}}",
        "{\"a\":1}{\"b\":2}",
        "nul",
        "tru",
        "NaN",
        "Infinity",
        "-",
        "01",
        "1.",
        ".5",
        "\"unterminated",
        "\"bad escape \\x\"",
        "\"\\u12\"",
        "\"\\uZZZZ\"",
        "/* comment */ {}",
        "\uFEFF{}",
        "{\"a\":\"\u0001\"}",
        "\u0000",
        "<xml/>",
        "a=1&b=2"
    };

    private static final String[] CONTENT_TYPES = {
        "application/json",
        "application/json; charset=utf-8",
        "APPLICATION/JSON",
        "application/json; charset=utf-16",
        "application/json; charset=iso-8859-1",
        "application/json; charset=nope",
        "application/json; charset=",
        "application/json;;",
        "application/problem+json",
        "application/merge-patch+json",
        "text/plain",
        "text/json",
        "application/xml",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
        "multipart/form-data; boundary=",
        "application/octet-stream",
        "*/*",
        "application/*",
        "garbage",
        "/",
        ";",
        ""
    };

    private static final String[] ACCEPTS = {
        "application/json",
        "*/*",
        "application/problem+json",
        "text/html",
        "application/xml",
        "text/plain",
        "image/png",
        "application/json;q=0",
        "garbage/",
        ";;;",
        "*",
        "application/json, */*;q=0.1",
        "text/*"
    };

    private final Random random;

    /** The share of {@link #field} values that are valid; raised while a tame object is made. */
    private double validShare = 0.5;

    /** A generator seeded with {@code seed}: the same seed gives the same inputs. */
    public Inputs(long seed) {
        this.random = new Random(seed);
    }

    /**
     * The seed of this run: {@code -Dparley.fuzz.seed} when set, else a new one. The caller prints it, so that a
     * failure can be replayed.
     */
    public static long seed() {
        String fixed = System.getProperty(SEED_PROPERTY);
        return fixed == null || fixed.isBlank() ? new Random().nextLong() : Long.parseLong(fixed.trim());
    }

    /** {@code base} inputs times {@code -Dparley.fuzz.scale} (default 1, at least 1 input). */
    public static int scaled(int base) {
        String scale = System.getProperty(SCALE_PROPERTY);
        double factor = scale == null || scale.isBlank() ? 1 : Double.parseDouble(scale.trim());
        return Math.max(1, (int) Math.round(base * factor));
    }

    /** The generator's randomness, for choices of a test's own. */
    public Random random() {
        return random;
    }

    /**
     * Names and generators in the order given, for {@link #object(Map)} and {@link #query(Map)}: their order is part
     * of what a seed replays.
     */
    public static Map<String, Supplier<String>> fields(String name, Supplier<String> value) {
        Map<String, Supplier<String>> fields = new java.util.LinkedHashMap<>();
        fields.put(name, value);
        return fields;
    }

    /** Two names and their generators, in this order. */
    public static Map<String, Supplier<String>> fields(
            String name1, Supplier<String> value1, String name2, Supplier<String> value2) {
        Map<String, Supplier<String>> fields = fields(name1, value1);
        fields.put(name2, value2);
        return fields;
    }

    /** Three names and their generators, in this order. */
    public static Map<String, Supplier<String>> fields(
            String name1,
            Supplier<String> value1,
            String name2,
            Supplier<String> value2,
            String name3,
            Supplier<String> value3) {
        Map<String, Supplier<String>> fields = fields(name1, value1, name2, value2);
        fields.put(name3, value3);
        return fields;
    }

    /** Four names and their generators, in this order. */
    public static Map<String, Supplier<String>> fields(
            String name1,
            Supplier<String> value1,
            String name2,
            Supplier<String> value2,
            String name3,
            Supplier<String> value3,
            String name4,
            Supplier<String> value4) {
        Map<String, Supplier<String>> fields = fields(name1, value1, name2, value2, name3, value3);
        fields.put(name4, value4);
        return fields;
    }

    /** True with probability {@code p} (0 to 1). */
    public boolean chance(double p) {
        return random.nextDouble() < p;
    }

    /** One of {@code choices}, each as likely. */
    public <T> T pick(List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    @SafeVarargs
    public final <T> T pick(T... choices) {
        return choices[random.nextInt(choices.length)];
    }

    // ---- text -------------------------------------------------------------------------------------------------------

    /**
     * A Java string of 0 to a few hundred characters (now and then tens of thousands) made of pieces: plain ASCII,
     * NUL, other control characters, a lone high or low surrogate, a right-to-left or zero-width mark, an emoji, a
     * quote or a backslash, a non-BMP or combining character, or a UUID.
     */
    public String text() {
        if (chance(0.08)) {
            return "";
        }
        StringBuilder s = new StringBuilder();
        int pieces = 1 + random.nextInt(chance(0.1) ? 40 : 6);
        for (int i = 0; i < pieces; i++) {
            s.append(piece());
        }
        if (chance(0.05)) {
            String unit = s.isEmpty() ? "x" : s.toString();
            int times = 1 + (20_000 / Math.max(1, unit.length()));
            s = new StringBuilder(unit.repeat(Math.min(times, 20_000)));
        }
        return s.toString();
    }

    private String piece() {
        return switch (random.nextInt(16)) {
            case 0 -> "\u0000";
            case 1 -> String.valueOf((char) (0xD800 + random.nextInt(0x400)));
            case 2 -> String.valueOf((char) (0xDC00 + random.nextInt(0x400)));
            case 3, 4 -> String.valueOf(MARKS[random.nextInt(MARKS.length)]);
            case 5 -> EMOJI[random.nextInt(EMOJI.length)];
            case 6 -> String.valueOf((char) (1 + random.nextInt(0x1F)));
            case 7 -> pick("\"", "\\", "'", "/", "%", "&", "?", "#", "=", "+", " ", "\t", "\r\n", "|", "..", "\u007F");
            case 8 -> UUID.randomUUID().toString();
            case 9 -> pick("e\u0301", "\u0085", "\u2028", "\u00A0", "\uFFFD", "\uFFFF", "\uD834\uDD1E", "\u0661");
            default -> ascii(1 + random.nextInt(12));
        };
    }

    private String ascii(int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append((char) ('a' + random.nextInt(26)));
        }
        return s.toString();
    }

    /** A string of {@code text()} that may be stored: no NUL, no unpaired surrogate (what the rule lets through). */
    public String storableText() {
        String s = text();
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                out.append(c).append(s.charAt(++i));
            } else if (!Character.isSurrogate(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }

    // ---- JSON -------------------------------------------------------------------------------------------------------

    /**
     * {@code s} as a JSON string literal: quotes, backslashes, control characters and every surrogate written as
     * escapes, so that a lone surrogate survives the trip as bytes and is made again by the server's parser.
     */
    public static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || Character.isSurrogate(c) && !pairedAt(s, i)) {
                out.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
            } else if (Character.isHighSurrogate(c)) {
                out.append(c).append(s.charAt(++i));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static boolean pairedAt(String s, int i) {
        char c = s.charAt(i);
        return Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }

    /** A JSON string literal of {@link #text()}. */
    public String jsonText() {
        return quote(validShare > 0.9 ? storableText() : text());
    }

    /** A JSON number, mostly one no Java type holds exactly or one at a type's edge. */
    public String number() {
        return chance(0.7)
                ? NUMBERS[random.nextInt(NUMBERS.length)]
                : String.valueOf(random.nextLong() >> random.nextInt(64));
    }

    /** Any JSON value as text: a string, a number, a boolean, null, a list or an object, nested up to {@code depth}. */
    public String anyJson(int depth) {
        int kind = random.nextInt(depth <= 0 ? 5 : 8);
        return switch (kind) {
            case 0, 1 -> jsonText();
            case 2 -> number();
            case 3 -> pick("true", "false");
            case 4 -> "null";
            case 5 -> list(depth - 1);
            case 6 -> object(depth - 1);
            default -> chance(0.3) ? deepNesting() : list(depth - 1);
        };
    }

    private String list(int depth) {
        List<String> items = new ArrayList<>();
        int n = random.nextInt(chance(0.05) ? 200 : 4);
        for (int i = 0; i < n; i++) {
            items.add(anyJson(depth));
        }
        return "[" + String.join(",", items) + "]";
    }

    private String object(int depth) {
        List<String> members = new ArrayList<>();
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
            String key = chance(0.5) ? quote(pick("id", "type", "content", "seq", "a", "")) : jsonText();
            members.add(key + ":" + anyJson(depth));
        }
        return "{" + String.join(",", members) + "}";
    }

    /** A list or object nested a few hundred to several thousand levels deep. */
    public String deepNesting() {
        int depth = pick(100, 999, 1001, 3000, 20_000);
        boolean lists = chance(0.5);
        String open = lists ? "[" : "{\"a\":";
        String close = lists ? "]" : "}";
        return open.repeat(depth) + (chance(0.2) ? "" : "1") + close.repeat(chance(0.1) ? depth - 1 : depth);
    }

    /** Text that is not JSON, or not one JSON value: truncated, trailing commas, comments, a BOM, two values. */
    public String malformed() {
        return chance(0.8) ? MALFORMED[random.nextInt(MALFORMED.length)] : text();
    }

    /**
     * A value for a field whose valid values {@code valid} gives (JSON text): half the time a valid one (nearly always
     * inside a tame {@link #object(Map)}), else a string of {@link #text()}, any other JSON value (the wrong type), a
     * number at an edge, or null.
     */
    public String field(Supplier<String> valid) {
        if (random.nextDouble() < validShare) {
            return valid.get();
        }
        return switch (random.nextInt(6)) {
            case 0, 1 -> jsonText();
            case 2 -> number();
            case 3 -> "null";
            default -> anyJson(2);
        };
    }

    /**
     * A JSON object with {@code fields} (name to generator of its value, JSON text), each maybe left out, maybe
     * written twice (a duplicate key), plus now and then a key of its own. Three objects in ten are tame: nearly every
     * field present and valid, its text storable (marks, emoji, long runs, no NUL nor lone surrogate), so that what
     * is accepted and stored is exercised as well as what is refused.
     */
    public String object(Map<String, Supplier<String>> fields) {
        double share = validShare;
        boolean tame = chance(0.3);
        if (tame) {
            validShare = 0.95;
        }
        try {
            return members(fields, tame);
        } finally {
            validShare = share;
        }
    }

    private String members(Map<String, Supplier<String>> fields, boolean tame) {
        List<String> members = new ArrayList<>();
        for (Map.Entry<String, Supplier<String>> f : fields.entrySet()) {
            if (chance(tame ? 0.03 : 0.15)) {
                continue;
            }
            members.add(quote(f.getKey()) + ":" + f.getValue().get());
            if (!tame && chance(0.07)) {
                members.add(quote(f.getKey()) + ":" + f.getValue().get());
            }
        }
        if (!tame && chance(0.1)) {
            members.add(random.nextInt(members.size() + 1), jsonText() + ":" + anyJson(1));
        }
        if (chance(0.05)) {
            java.util.Collections.shuffle(members, random);
        }
        return "{" + String.join(",", members) + "}";
    }

    /**
     * A whole request body for a JSON call whose well-formed bodies {@code wellFormed} gives: mostly one of those,
     * else any JSON value (a list, a string, null...), malformed text or deep nesting; as UTF-8 bytes, now and then
     * with bytes that are not UTF-8 or cut in the middle.
     */
    public byte[] body(Supplier<String> wellFormed) {
        int roll = random.nextInt(19);
        String text = roll < 14 ? wellFormed.get() : roll < 16 ? anyJson(3) : roll < 18 ? malformed() : deepNesting();
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (chance(0.04)) {
            return notUtf8(bytes);
        }
        if (chance(0.03) && bytes.length > 1) {
            return java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length));
        }
        return bytes;
    }

    private byte[] notUtf8(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + 4);
        int at = random.nextInt(bytes.length + 1);
        out.write(bytes, 0, at);
        byte[][] bad = {
            {(byte) 0xFF}, {(byte) 0xC3, 0x28}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xC0, (byte) 0xAF}
        };
        out.writeBytes(bad[random.nextInt(bad.length)]);
        out.write(bytes, at, bytes.length - at);
        return out.toByteArray();
    }

    // ---- request parts
    // -----------------------------------------------------------------------------------------------

    /**
     * A path segment, percent-encoded as it goes on the request line: one of {@code known} (ids that name something),
     * one of them in upper case, a UUID of nothing, or text that is no id (not a UUID, NUL, the bytes of a lone
     * surrogate, bytes that are not UTF-8, dot segments, an encoded slash, a few thousand characters). Percent-escapes
     * are always well formed: a client library (and the gateway's proxy) refuses to send a broken one.
     */
    public String pathSegment(List<String> known) {
        int roll = random.nextInt(20);
        if (roll < 10 && !known.isEmpty()) {
            return encode(pick(known));
        }
        return switch (roll) {
            case 10 -> known.isEmpty() ? "x" : encode(pick(known).toUpperCase(Locale.ROOT));
            case 11, 12 -> UUID.randomUUID().toString();
            case 13 ->
                pick("not-a-uuid", "1-1-1-1-1", "00000000-0000-0000-0000-000000000000", "null", "undefined", "0");
            case 14 -> pick("%00", "a%00b", "%ED%A0%80", "%ED%B0%80", "%FF", "%C3%28", "%C0%AF", "%25", "%2525");
            case 15 -> pick("..", ".", "%2e%2e", "%2F", "a%2Fb", "%3F", "%23", ";", "a;b=c", "%20");
            case 16 -> encode(UUID.randomUUID() + pick(" ", "\u200B", "\u0000", "x", "\n"));
            case 17 -> "a".repeat(pick(256, 1000, 3000));
            default -> encode(shortText());
        };
    }

    private String shortText() {
        String t = text();
        return t.length() > 300 ? t.substring(0, 300) : t;
    }

    /**
     * {@code s} percent-encoded for a path segment or a query value: every byte but RFC 3986's unreserved
     * characters; a lone surrogate as the three bytes it would have in UTF-8 ({@code %ED%A0%80}), which are not
     * UTF-8.
     */
    public static String encode(String s) {
        StringBuilder out = new StringBuilder(s.length() * 3);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                out.append(c);
                continue;
            }
            byte[] bytes;
            if (Character.isSurrogate(c) && !pairedAt(s, i)) {
                bytes = new byte[] {
                    (byte) (0xE0 | (c >> 12)), (byte) (0x80 | ((c >> 6) & 0x3F)), (byte) (0x80 | (c & 0x3F))
                };
            } else if (Character.isHighSurrogate(c)) {
                bytes = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                i++;
            } else {
                bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
            }
            for (byte b : bytes) {
                out.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xFF));
            }
        }
        return out.toString();
    }

    /**
     * A query string (without {@code ?}) over the parameters {@code names}, each with {@code values} (already
     * percent-encoded) mostly: a parameter left out, given twice, empty, without {@code =}, or holding
     * {@link #text()}; now and then a parameter of its own or stray separators. May be empty.
     */
    public String query(Map<String, Supplier<String>> names) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Supplier<String>> name : names.entrySet()) {
            int roll = random.nextInt(10);
            if (roll < 4) {
                continue;
            }
            String value = switch (roll) {
                case 4, 5, 6 -> name.getValue().get();
                case 7 -> encode(shortText());
                case 8 -> pick("", "-1", "0", "9223372036854775808", "1e400", "-0", "%00", "%ED%A0%80", "%FF", "+");
                default -> number();
            };
            parts.add(chance(0.05) ? name.getKey() : name.getKey() + "=" + value);
            if (chance(0.1)) {
                parts.add(name.getKey() + "=" + name.getValue().get());
            }
        }
        if (chance(0.1)) {
            parts.add(encode(shortText()) + "=" + encode(shortText()));
        }
        if (chance(0.05)) {
            parts.add(pick("", "&", "=", "==", "%00=%00"));
        }
        return String.join("&", parts);
    }

    /** A {@code Content-Type} for a JSON body: mostly {@code application/json}, else a variant or a wrong one. */
    public String contentType() {
        return chance(0.7) ? "application/json" : CONTENT_TYPES[random.nextInt(CONTENT_TYPES.length)];
    }

    /** An {@code Accept} header, or null for none: mostly none or JSON, else a type the service does not make. */
    public String accept() {
        return chance(0.85) ? null : ACCEPTS[random.nextInt(ACCEPTS.length)];
    }
}

package io.parley.message.api;

import java.nio.charset.StandardCharsets;

/**
 * The {@code Content-Disposition} of a download (RFC 6266, with the {@code filename*} parameter of RFC 8187):
 * {@code inline} or {@code attachment}, then {@code filename="<ASCII fallback>"} for old clients and
 * {@code filename*=UTF-8''<percent-encoded UTF-8>} with the exact name.
 */
public final class ContentDisposition {

    private ContentDisposition() {}

    /**
     * @param inline whether the browser may show the file in place ({@code inline}) or must save it
     *               ({@code attachment})
     * @param name   the stored display name (already safe: no controls, no unpaired surrogates)
     * @return the header value
     */
    public static String of(boolean inline, String name) {
        return (inline ? "inline" : "attachment") + "; filename=\"" + asciiFallback(name) + "\"; filename*=UTF-8''"
                + encode(name);
    }

    /**
     * The name with every character outside printable ASCII, every quote and backslash replaced by {@code _}, fit for
     * a quoted-string (RFC 9110, section 5.6.4).
     */
    static String asciiFallback(String name) {
        StringBuilder out = new StringBuilder(name.length());
        name.codePoints().forEach(c -> out.append(c >= 0x20 && c < 0x7F && c != '"' && c != '\\' ? (char) c : '_'));
        return out.toString();
    }

    /** RFC 8187, section 3.2.1: UTF-8 bytes, each one that is not an attr-char as {@code %XX} (upper-case hex). */
    static String encode(String name) {
        StringBuilder out = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (isAttrChar(c)) {
                out.append((char) c);
            } else {
                out.append('%')
                        .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return out.toString();
    }

    /** attr-char = ALPHA / DIGIT / "!" / "#" / "$" / "&" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" */
    private static boolean isAttrChar(int c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || "!#$&+-.^_`|~".indexOf(c) >= 0;
    }
}

package io.parley.message.domain;

/**
 * The display name of an upload, made safe from the name a client sent (the filename of its multipart part), never
 * refused (the files contract, section 1): the part after the last {@code /} or {@code \}; without C0 and C1 controls,
 * DEL, NUL, unpaired UTF-16 surrogates and bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F);
 * trimmed; {@code .}, {@code ..} or nothing becomes {@code file}; at most {@link #MAX_CODE_POINTS} code points, keeping
 * the extension. The result can be stored in PostgreSQL and encoded in UTF-8, and names no folder.
 */
public final class FileNames {

    /** The longest display name, in Unicode code points. */
    public static final int MAX_CODE_POINTS = 255;
    /** The name of a file whose name says nothing. */
    public static final String FALLBACK = "file";
    /** The longest extension (with its dot, in code points) kept when a name is shortened. */
    static final int MAX_EXTENSION = 32;

    private FileNames() {}

    /**
     * @param name what the client sent; null is taken as nothing
     * @return the safe display name, never null nor empty
     */
    public static String safeName(String name) {
        if (name == null) {
            return FALLBACK;
        }
        int cut = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        String last = name.substring(cut + 1);
        StringBuilder kept = new StringBuilder(last.length());
        for (int i = 0; i < last.length(); ) {
            char c = last.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < last.length() && Character.isLowSurrogate(last.charAt(i + 1))) {
                kept.append(c).append(last.charAt(i + 1));
                i += 2;
                continue;
            }
            i++;
            if (!Character.isSurrogate(c) && !dropped(c)) {
                kept.append(c);
            }
        }
        String trimmed = kept.toString().strip();
        if (trimmed.isEmpty() || trimmed.equals(".") || trimmed.equals("..")) {
            return FALLBACK;
        }
        return shortened(trimmed);
    }

    /** Controls (C0, DEL, C1) and the bidirectional controls that can make a name read as another. */
    private static boolean dropped(char c) {
        return c < 0x20
                || (c >= 0x7F && c <= 0x9F)
                || (c >= '\u202A' && c <= '\u202E')
                || (c >= '\u2066' && c <= '\u2069')
                || c == '\u200E'
                || c == '\u200F';
    }

    private static String shortened(String name) {
        int length = name.codePointCount(0, name.length());
        if (length <= MAX_CODE_POINTS) {
            return name;
        }
        int dot = name.lastIndexOf('.');
        String extension = "";
        if (dot > 0) {
            String candidate = name.substring(dot);
            if (candidate.codePointCount(0, candidate.length()) <= MAX_EXTENSION) {
                extension = candidate;
            }
        }
        int keep = MAX_CODE_POINTS - extension.codePointCount(0, extension.length());
        String base = name.substring(0, name.offsetByCodePoints(0, keep)).strip();
        return base + extension;
    }
}

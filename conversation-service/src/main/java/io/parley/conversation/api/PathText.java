package io.parley.conversation.api;

import io.parley.kit.Problem;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Text taken from a request path, decoded strictly. A framework decodes percent-encoded bytes that are not UTF-8
 * (such as the encoding of a lone UTF-16 surrogate, {@code %ED%A0%80}) into U+FFFD, which would make the value another
 * one than the client sent; here such a value is refused with a 400 naming the parameter.
 */
final class PathText {

    private PathText() {}

    /**
     * The last segment of {@code rawPath} (as the request line has it, percent-encoded), decoded as UTF-8.
     *
     * @param field    the parameter's name, for the 400
     * @param rawPath  the request's path, not decoded; null to trust {@code decoded}
     * @param decoded  the framework's decoding of the same segment, answered when the raw path is not at hand
     * @return the segment's text
     */
    static String lastSegment(String field, String rawPath, String decoded) {
        if (rawPath == null) {
            return decoded;
        }
        String path = rawPath;
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        return decode(field, path.substring(path.lastIndexOf('/') + 1));
    }

    /** Percent-decodes {@code raw} and reads the bytes as UTF-8, refusing bytes that are not UTF-8 (400). */
    static String decode(String field, String raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    throw Problem.badRequest(field + " has a broken percent-encoding.");
                }
                int high = Character.digit(raw.charAt(i + 1), 16);
                int low = Character.digit(raw.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    throw Problem.badRequest(field + " has a broken percent-encoding.");
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < raw.length()) {
                    utf8 = raw.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                bytes.writeBytes(utf8);
            }
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw Problem.badRequest(field + " is not valid UTF-8 (an unpaired UTF-16 surrogate cannot be encoded).");
        }
    }
}

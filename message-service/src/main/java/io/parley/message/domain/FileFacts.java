package io.parley.message.domain;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.tika.Tika;

/** What is learnt of an uploaded file by reading it: its SHA-256 and its media type, detected from its bytes. */
public final class FileFacts {

    private static final Tika TIKA = new Tika();

    private FileFacts() {}

    /**
     * The SHA-256 of the file, read as a stream (64 KiB at a time).
     *
     * @return lowercase hex, 64 characters
     */
    public static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * The media type of the file, detected by Apache Tika from its first bytes (magic numbers); the name is only a
     * hint, which may refine the type the bytes give (a ZIP named .docx) but never overrides it (an executable named
     * .txt stays an executable). Never the type a client declared.
     *
     * @param name the display name (a hint), may be null
     * @return a media type without parameters, {@code application/octet-stream} when nothing is recognised
     */
    public static String detect(Path file, String name) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            String type = TIKA.detect(in, name);
            int semicolon = type.indexOf(';');
            return (semicolon < 0 ? type : type.substring(0, semicolon)).strip().toLowerCase(java.util.Locale.ROOT);
        }
    }
}

package io.parley.conversation.api;

import io.parley.conversation.store.ConversationStore.Position;
import io.parley.conversation.store.ConversationStore.WaitPosition;
import io.parley.kit.Problem;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The opaque cursor of the conversation list, base64url-encoded: the place where the page ended, and the snapshot
 * of the list its first page was read from ({@code xmin:xmax:xip,...} as PostgreSQL writes it).
 */
final class Cursor {

    private static final Pattern FORMAT =
            Pattern.compile("1:(\\d{1,19}):(\\d{1,19}):((\\d{1,19}):(\\d{1,19}):([\\d,]*))");

    private Cursor() {}

    static String encode(Position position) {
        if (position == null) {
            return null;
        }
        String raw =
                "1:" + position.snapshotAt().toEpochMilli() + ":" + position.activity() + ":" + position.snapshot();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private static final Pattern WAITING =
            Pattern.compile("2:(-?\\d{1,19}):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})");

    /** The cursor of the unanswered filter's next page ({@code 2:<wait start in epoch microseconds>:<id>}); null: none. */
    static String encodeWaiting(WaitPosition position) {
        if (position == null) {
            return null;
        }
        Instant since = position.since();
        long micros = Math.addExact(Math.multiplyExact(since.getEpochSecond(), 1_000_000L), since.getNano() / 1_000);
        String raw = "2:" + micros + ":" + position.id();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads a cursor of the unanswered filter (null: the first page); one this API did not give is a 400. */
    static WaitPosition decodeWaiting(String cursor) {
        if (cursor == null) {
            return null;
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            Matcher m = WAITING.matcher(raw);
            if (!m.matches()) {
                throw new IllegalArgumentException("format");
            }
            long micros = Long.parseLong(m.group(1));
            Instant since = Instant.ofEpochSecond(
                    Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
            return new WaitPosition(since, java.util.UUID.fromString(m.group(2)));
        } catch (RuntimeException e) {
            throw Problem.badRequest("cursor is not one this API gave out.");
        }
    }

    static Position decode(String cursor) {
        if (cursor == null) {
            return null;
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            Matcher m = FORMAT.matcher(raw);
            if (!m.matches()) {
                throw new IllegalArgumentException("format");
            }
            long xmin = Long.parseLong(m.group(4));
            long xmax = Long.parseLong(m.group(5));
            if (xmin < 1 || xmin > xmax) {
                throw new IllegalArgumentException("snapshot");
            }
            long previous = xmin - 1;
            for (String xip : m.group(6).isEmpty() ? new String[0] : m.group(6).split(",", -1)) {
                long xid = Long.parseLong(xip);
                if (xid <= previous || xid >= xmax) {
                    throw new IllegalArgumentException("snapshot");
                }
                previous = xid;
            }
            return new Position(
                    m.group(3), Instant.ofEpochMilli(Long.parseLong(m.group(1))), Long.parseLong(m.group(2)));
        } catch (RuntimeException e) {
            throw Problem.badRequest("cursor is not one this API gave out.");
        }
    }
}

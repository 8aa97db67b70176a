package io.parley.conversation.api;

import io.parley.conversation.store.ConversationStore.Position;
import io.parley.kit.Problem;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/** The opaque cursor of the conversation list: a position, base64url-encoded. */
final class Cursor {

    private Cursor() {
    }

    static String encode(Position position) {
        if (position == null) {
            return null;
        }
        String raw = position.isTop() ? "top"
                : position.lastActivityAt().getEpochSecond() + ":" + position.lastActivityAt().getNano() + ":"
                + position.id();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    static Position decode(String cursor) {
        if (cursor == null) {
            return null;
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (raw.equals("top")) {
                return Position.TOP;
            }
            String[] parts = raw.split(":", 3);
            return new Position(Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1])),
                    UUID.fromString(parts[2]));
        } catch (RuntimeException e) {
            throw Problem.badRequest("cursor is not one this API gave out.");
        }
    }
}

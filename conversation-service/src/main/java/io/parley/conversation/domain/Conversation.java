package io.parley.conversation.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A conversation as stored: who is in it, nothing of any reader's own view. */
public record Conversation(UUID id, String kind, String title, String createdBy, Instant createdAt,
                           Instant lastActivityAt, List<String> participants) {

    public static final String SUPPORT = "support";
    public static final String DIRECT = "direct";
    public static final String GROUP = "group";

    public Conversation {
        participants = List.copyOf(participants);
    }

    public boolean isSupport() {
        return SUPPORT.equals(kind);
    }
}

package io.parley.conversation.domain;

import io.parley.events.ConversationKind;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A conversation as stored: who is in it and its inbox state (last message, last seq, place in the list, and for
 * support conversations whether a reply is awaited, since when, and which admin answered last); nothing of any reader's
 * own view. {@code awaitingSince} is the createdAt of the first message not from an admin after the last admin message,
 * null when no reply is awaited (and on conversations that are not support conversations). {@code names} maps the
 * participants whose display name is known (their token's {@code name} claim when they last came online) to it.
 */
public record Conversation(
        UUID id,
        ConversationKind kind,
        String title,
        String createdBy,
        Instant createdAt,
        Instant lastActivityAt,
        List<String> participants,
        long activity,
        long lastSeq,
        Map<String, Object> lastMessage,
        boolean awaitingReply,
        String answeredBy,
        Instant awaitingSince,
        Map<String, String> names) {

    public Conversation {
        participants = List.copyOf(participants);
        names = names == null ? Map.of() : names;
    }

    /** A conversation not stored yet, without messages. */
    public static Conversation fresh(
            UUID id,
            ConversationKind kind,
            String title,
            String createdBy,
            Instant createdAt,
            List<String> participants) {
        return new Conversation(
                id,
                kind,
                title,
                createdBy,
                createdAt,
                createdAt,
                participants,
                0,
                0,
                null,
                false,
                null,
                null,
                Map.of());
    }

    /** Whether this is a support conversation. */
    public boolean isSupport() {
        return kind == ConversationKind.SUPPORT;
    }
}

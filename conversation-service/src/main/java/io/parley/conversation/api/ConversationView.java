package io.parley.conversation.api;

import io.parley.conversation.domain.Conversation;
import io.parley.events.ConversationKind;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The Conversation resource of the client contract, as seen by one caller: lastMessage and lastSeq are the
 * conversation's, readSeq, unreadCount, pinned and muted the caller's own (muted: the caller muted it in the
 * notification-service, whose mute changes this service keeps from {@code mute.changed} events). Support
 * conversations also say whether a reply is awaited (the last message is not from an admin), since when
 * ({@code awaitingSince}, null when none is) and which admin answered last. {@code names}: the display names known of
 * its participants (user id to name; a participant never seen online with a named token is absent). {@code createdBy}:
 * the user who created it (for a support conversation, its owner), who with the admins may add and remove a group's
 * participants.
 */
public record ConversationView(
        UUID id,
        ConversationKind type,
        String title,
        List<String> participants,
        Map<String, String> names,
        String createdBy,
        Instant createdAt,
        Map<String, Object> lastMessage,
        long lastSeq,
        long readSeq,
        long unreadCount,
        boolean pinned,
        boolean muted,
        boolean awaitingReply,
        String answeredBy,
        Instant awaitingSince) {

    /**
     * The view of {@code c} for {@code callerId}, who has read up to {@code readSeq} and muted it or not.
     *
     * @return the resource as the contract describes it
     */
    static ConversationView of(Conversation c, String callerId, long readSeq, boolean muted) {
        boolean pinned = c.isSupport() && callerId.equals(c.createdBy());
        long read = Math.min(readSeq, c.lastSeq());
        return new ConversationView(
                c.id(),
                c.kind(),
                c.title(),
                c.participants(),
                c.names(),
                c.createdBy(),
                c.createdAt(),
                c.lastMessage(),
                c.lastSeq(),
                read,
                c.lastSeq() - read,
                pinned,
                muted,
                c.awaitingReply(),
                c.answeredBy(),
                c.isSupport() && c.awaitingReply() ? c.awaitingSince() : null);
    }
}

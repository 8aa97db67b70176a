package io.parley.conversation.api;

import io.parley.conversation.domain.Conversation;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The Conversation resource of the client contract, as seen by one caller: lastMessage and lastSeq are the
 * conversation's, readSeq, unreadCount, pinned and muted the caller's own. Support conversations also say whether
 * a reply is awaited (the last message is not from an admin) and which admin answered last.
 * muted stays false here: mute settings belong to the notification-service.
 */
public record ConversationView(UUID id, String type, String title, List<String> participants, Instant createdAt,
                               Map<String, Object> lastMessage, long lastSeq, long readSeq, long unreadCount,
                               boolean pinned, boolean muted, boolean awaitingReply, String answeredBy) {

    static ConversationView of(Conversation c, String callerId, long readSeq) {
        boolean pinned = c.isSupport() && callerId.equals(c.createdBy());
        long read = Math.min(readSeq, c.lastSeq());
        return new ConversationView(c.id(), c.kind(), c.title(), c.participants(), c.createdAt(), c.lastMessage(),
                c.lastSeq(), read, c.lastSeq() - read, pinned, false, c.awaitingReply(), c.answeredBy());
    }
}

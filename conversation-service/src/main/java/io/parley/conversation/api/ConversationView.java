package io.parley.conversation.api;

import io.parley.conversation.domain.Conversation;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The Conversation resource of the client contract, as seen by one caller. lastMessage, lastSeq, readSeq,
 * unreadCount and muted come from the inbox read model (issue 5); until then they are empty.
 */
public record ConversationView(UUID id, String type, String title, List<String> participants, Instant createdAt,
                               Object lastMessage, long lastSeq, long readSeq, long unreadCount, boolean pinned,
                               boolean muted) {

    static ConversationView of(Conversation c, String callerId) {
        boolean pinned = c.isSupport() && callerId.equals(c.createdBy());
        return new ConversationView(c.id(), c.kind(), c.title(), c.participants(), c.createdAt(), null, 0, 0, 0,
                pinned, false);
    }
}

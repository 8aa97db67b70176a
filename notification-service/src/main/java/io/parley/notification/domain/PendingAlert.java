package io.parley.notification.domain;

import java.time.Instant;
import java.util.UUID;

/** Unread messages of one conversation that one user will be alerted about once its grace delay ends. */
public record PendingAlert(String userId, UUID conversationId, long firstSeq, long lastSeq, int messageCount,
                           String lastSenderName, Instant dueAt) {
}

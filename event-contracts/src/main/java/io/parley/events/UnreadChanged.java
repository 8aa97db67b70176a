package io.parley.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * New unread counts after a message or a read in one conversation: for each user whose count there changed, the
 * count in the conversation and the user's total. The conversation-service, which keeps the inbox, publishes it on
 * {@link Topics#INBOX}, keyed by conversation id; the gateways tell each user's connections.
 */
public record UnreadChanged(
        UUID eventId, String type, Instant occurredAt, int version, UUID conversationId, List<Count> counts)
        implements Event {

    public static final String TYPE = "unread.changed";
    public static final int VERSION = 1;

    /** One user's unread messages in the conversation, and in all their conversations. */
    public record Count(String userId, long count, long total) {}

    public UnreadChanged {
        counts = List.copyOf(counts);
    }

    public static UnreadChanged of(UUID conversationId, List<Count> counts, Instant at) {
        return new UnreadChanged(UUID.randomUUID(), TYPE, at, VERSION, conversationId, counts);
    }

    @Override
    @JsonIgnore
    public String key() {
        return conversationId.toString();
    }
}

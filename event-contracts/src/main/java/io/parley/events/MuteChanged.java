package io.parley.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.UUID;

/**
 * A user muted a conversation ({@code muted} true, until {@code until}, or until unmuted when {@code until} is null)
 * or unmuted it ({@code muted} false, {@code until} null). The notification-service, which owns mute settings,
 * publishes it through its outbox on {@link Topics#USERS}, keyed by user id, so one user's changes are consumed in
 * the order they were made; the conversation-service keeps them to answer {@code muted} in its views.
 */
public record MuteChanged(
        UUID eventId,
        String type,
        Instant occurredAt,
        int version,
        String userId,
        UUID conversationId,
        boolean muted,
        Instant until)
        implements Event {

    public static final String TYPE = "mute.changed";
    public static final int VERSION = 1;

    /**
     * A change of {@code userId}'s mute of {@code conversationId} made at {@code at}.
     *
     * @return a new event with a fresh id
     */
    public static MuteChanged of(String userId, UUID conversationId, boolean muted, Instant until, Instant at) {
        return new MuteChanged(
                UUID.randomUUID(), TYPE, at, VERSION, userId, conversationId, muted, muted ? until : null);
    }

    @Override
    @JsonIgnore
    public String key() {
        return userId;
    }
}

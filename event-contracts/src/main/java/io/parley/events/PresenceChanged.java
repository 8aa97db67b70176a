package io.parley.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.UUID;

/**
 * A user came online (first open connection on any gateway) or went offline. {@code role} is the user's role in
 * the token they connected with, {@code name} the display name of that token (its {@code name} claim; null when it
 * has none, and in an {@code offline} change), which the conversation-service keeps to name participants in its
 * views. Published on {@link Topics#PRESENCE}.
 */
public record PresenceChanged(
        UUID eventId,
        String type,
        Instant occurredAt,
        int version,
        String userId,
        Role role,
        boolean online,
        Instant lastSeenAt,
        String name)
        implements Event {

    public static final String TYPE = "presence.changed";
    public static final int VERSION = 1;

    /** This change with {@code name} as the user's display name. */
    public PresenceChanged withName(String name) {
        return new PresenceChanged(eventId, type, occurredAt, version, userId, role, online, lastSeenAt, name);
    }

    /** A change with no display name. */
    public static PresenceChanged of(String userId, Role role, boolean online, Instant at) {
        return of(userId, role, online, at, null);
    }

    /** A change; {@code name} is the display name of the user's token, or null. */
    public static PresenceChanged of(String userId, Role role, boolean online, Instant at, String name) {
        return new PresenceChanged(UUID.randomUUID(), TYPE, at, VERSION, userId, role, online, at, name);
    }

    @Override
    @JsonIgnore
    public String key() {
        return userId;
    }
}

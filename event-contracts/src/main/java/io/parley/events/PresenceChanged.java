package io.parley.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.UUID;

/**
 * A user came online (first open connection on any gateway) or went offline. {@code role} is the user's role in
 * the token they connected with. Published on {@link Topics#PRESENCE}.
 */
public record PresenceChanged(
        UUID eventId,
        String type,
        Instant occurredAt,
        int version,
        String userId,
        Role role,
        boolean online,
        Instant lastSeenAt)
        implements Event {

    public static final String TYPE = "presence.changed";
    public static final int VERSION = 1;

    public static PresenceChanged of(String userId, Role role, boolean online, Instant at) {
        return new PresenceChanged(UUID.randomUUID(), TYPE, at, VERSION, userId, role, online, at);
    }

    @Override
    @JsonIgnore
    public String key() {
        return userId;
    }
}

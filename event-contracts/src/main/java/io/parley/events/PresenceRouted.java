package io.parley.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A presence change with whom to tell: the users who share a conversation with {@code userId}, and every admin when
 * the user has a support conversation. The conversation-service, which owns membership, publishes it on
 * {@link Topics#PRESENCE} for each {@link PresenceChanged}; the gateways deliver it. {@code name} is the user's
 * display name as their change carried it (null when unknown: an {@code offline}, or a token without one).
 */
public record PresenceRouted(
        UUID eventId,
        String type,
        Instant occurredAt,
        int version,
        String userId,
        boolean online,
        Instant lastSeenAt,
        List<String> recipients,
        boolean toAdmins,
        String name)
        implements Event {

    public static final String TYPE = "presence.routed";
    public static final int VERSION = 1;

    public PresenceRouted {
        recipients = List.copyOf(recipients);
    }

    public static PresenceRouted of(PresenceChanged change, List<String> recipients, boolean toAdmins) {
        return new PresenceRouted(
                UUID.randomUUID(),
                TYPE,
                change.occurredAt(),
                VERSION,
                change.userId(),
                change.online(),
                change.lastSeenAt(),
                recipients,
                toAdmins,
                change.name());
    }

    @Override
    @JsonIgnore
    public String key() {
        return userId;
    }
}

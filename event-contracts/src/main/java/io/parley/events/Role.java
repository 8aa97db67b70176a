package io.parley.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Optional;
import java.util.Set;

/**
 * The role a token carries in its {@code groups} claim, and that events carry ({@link MessageData#senderRole()},
 * {@link PresenceChanged#role()}): spelled {@code client}, {@code expert} or {@code admin} on every wire.
 */
public enum Role {
    CLIENT,
    EXPERT,
    ADMIN;

    /**
     * The role named in {@code groups}: {@code admin} before {@code expert} before {@code client}; empty when the
     * token names none of them (such a token may do nothing: 403 on REST, the WebSocket upgrade refused with 403).
     */
    public static Optional<Role> find(Set<String> groups) {
        if (groups == null) {
            return Optional.empty();
        }
        if (groups.contains(ADMIN.wire())) {
            return Optional.of(ADMIN);
        }
        if (groups.contains(EXPERT.wire())) {
            return Optional.of(EXPERT);
        }
        if (groups.contains(CLIENT.wire())) {
            return Optional.of(CLIENT);
        }
        return Optional.empty();
    }

    /**
     * The role named in {@code groups}; for callers that already passed a role check.
     *
     * @throws IllegalArgumentException when the groups name no known role
     */
    public static Role of(Set<String> groups) {
        return find(groups).orElseThrow(() -> new IllegalArgumentException("the token names no known role"));
    }

    /**
     * The role spelled {@code wire} (an event's field, a stored column): how JSON is read into a role.
     *
     * @throws IllegalArgumentException for any other text, or null
     */
    @JsonCreator
    public static Role fromWire(String wire) {
        return Words.of(Role.class, wire, "role");
    }

    /** The role as tokens, events and frames spell it: {@code client}, {@code expert} or {@code admin}. */
    @JsonValue
    public String wire() {
        return Words.spell(this);
    }
}

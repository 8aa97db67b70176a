package io.parley.kit;

import java.util.Optional;
import java.util.Set;

/** The role a token carries in its {@code groups} claim. */
public enum Role {
    CLIENT, EXPERT, ADMIN;

    /**
     * The role named in {@code groups}: {@code admin} before {@code expert} before {@code client}; empty when the
     * token names none of them (such a token may do nothing: 403 on REST, the WebSocket upgrade refused with 403).
     */
    public static Optional<Role> find(Set<String> groups) {
        if (groups == null) {
            return Optional.empty();
        }
        if (groups.contains("admin")) {
            return Optional.of(ADMIN);
        }
        if (groups.contains("expert")) {
            return Optional.of(EXPERT);
        }
        if (groups.contains("client")) {
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

    /** The role as tokens, events and frames spell it: {@code client}, {@code expert} or {@code admin}. */
    public String wire() {
        return name().toLowerCase();
    }
}

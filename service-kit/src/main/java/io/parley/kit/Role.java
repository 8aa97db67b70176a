package io.parley.kit;

import java.util.Set;

/** The role a token carries in its {@code groups} claim. */
public enum Role {
    CLIENT, EXPERT, ADMIN;

    public static Role of(Set<String> groups) {
        if (groups.contains("admin")) {
            return ADMIN;
        }
        if (groups.contains("expert")) {
            return EXPERT;
        }
        return CLIENT;
    }

    public String wire() {
        return name().toLowerCase();
    }
}

package io.parley.conversation.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.events.PresenceChanged;
import io.parley.events.Role;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PresenceRoutingTest {

    private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void eachUsersLastChangeKeepsTheLastNameTheirChangesCarried() {
        List<PresenceChanged> latest = PresenceRouting.latestNamed(List.of(
                PresenceChanged.of("ann", Role.CLIENT, true, AT, "Ann"),
                PresenceChanged.of("bob", Role.EXPERT, true, AT, "Bob"),
                PresenceChanged.of("ann", Role.CLIENT, false, AT.plusSeconds(1)),
                PresenceChanged.of("cy", Role.CLIENT, true, AT)));
        assertThat(latest).extracting(PresenceChanged::userId).containsExactly("ann", "bob", "cy");
        assertThat(latest.get(0).online()).isFalse();
        assertThat(latest.get(0).name()).isEqualTo("Ann");
        assertThat(latest.get(1).name()).isEqualTo("Bob");
        assertThat(latest.get(2).name()).isNull();
    }
}

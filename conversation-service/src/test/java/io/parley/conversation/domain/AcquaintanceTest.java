package io.parley.conversation.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.conversation.store.ConversationStore.Online;
import io.parley.events.PresenceRouted;
import io.parley.events.Role;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Who is told of whom when users come to share a conversation. */
class AcquaintanceTest {

    private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");

    private static Map<String, List<String>> told(List<String> members, List<String> newcomers, String... online) {
        List<Online> now = java.util.Arrays.stream(online)
                .map(u -> new Online(u, Role.EXPERT, AT, null))
                .toList();
        return Acquaintance.announcements(members, newcomers, now).stream()
                .collect(Collectors.toMap(PresenceRouted::userId, PresenceRouted::recipients));
    }

    @Test
    void aNewConversationTellsEachOnlineMemberToAllTheOthers() {
        List<String> members = List.of("ann", "bob", "cy");
        assertThat(told(members, members, "ann", "cy"))
                .containsOnly(Map.entry("ann", List.of("bob", "cy")), Map.entry("cy", List.of("ann", "bob")));
    }

    @Test
    void anAdditionTellsTheNewcomerWhoIsOnlineAndTheOthersOfTheNewcomer() {
        List<String> members = List.of("ann", "bob", "dee");
        // ann and bob knew each other already: nothing between them
        assertThat(told(members, List.of("dee"), "ann", "bob", "dee"))
                .containsOnly(
                        Map.entry("ann", List.of("dee")),
                        Map.entry("bob", List.of("dee")),
                        Map.entry("dee", List.of("ann", "bob")));
        assertThat(told(members, List.of("dee"), "ann")).containsOnly(Map.entry("ann", List.of("dee")));
        assertThat(told(members, List.of("dee"))).isEmpty();
    }
}

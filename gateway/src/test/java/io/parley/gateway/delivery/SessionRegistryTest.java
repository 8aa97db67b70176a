package io.parley.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.events.ConversationKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An event that names a user by a null id (a malformed or older record) finds no connection instead of throwing: a
 * delivery channel that throws stops for good, and every connection of the instance with it.
 */
class SessionRegistryTest {

    @Test
    void aNullUserIdHasNoConnections() {
        SessionRegistry sessions = new SessionRegistry();
        assertThat(sessions.of(null)).isEmpty();
        assertThat(sessions.hasAny(null)).isFalse();
        List<Session> reached = new ArrayList<>();
        sessions.forEachInConversation(Arrays.asList("ann", null), ConversationKind.GROUP, reached::add);
        assertThat(reached).isEmpty();
    }
}

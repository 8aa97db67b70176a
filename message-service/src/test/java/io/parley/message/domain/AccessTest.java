package io.parley.message.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.events.ConversationKind;
import io.parley.events.Role;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The membership rule, every case of role × conversation kind × membership: a participant, or an admin on a support
 * conversation. An empty kind is a conversation the replica does not know. (The SQL form of the rule that a send and a
 * read position use, {@code MembershipStore.MAY_USE}, is covered end to end by AuthorizationMatrixTest.)
 */
class AccessTest {

    @ParameterizedTest(name = "{0} on {1}, member {2}: {3}")
    @CsvSource({
        "CLIENT, support, true, true",
        "CLIENT, support, false, false",
        "CLIENT, direct, true, true",
        "CLIENT, direct, false, false",
        "CLIENT, group, true, true",
        "CLIENT, group, false, false",
        "CLIENT, , true, true",
        "CLIENT, , false, false",
        "EXPERT, support, true, true",
        "EXPERT, support, false, false",
        "EXPERT, direct, true, true",
        "EXPERT, direct, false, false",
        "EXPERT, group, true, true",
        "EXPERT, group, false, false",
        "EXPERT, , true, true",
        "EXPERT, , false, false",
        "ADMIN, support, true, true",
        "ADMIN, support, false, true",
        "ADMIN, direct, true, true",
        "ADMIN, direct, false, false",
        "ADMIN, group, true, true",
        "ADMIN, group, false, false",
        "ADMIN, , true, true",
        "ADMIN, , false, false"
    })
    void aParticipantOrAnAdminOnASupportConversation(Role role, String kind, boolean member, boolean mayUse) {
        assertThat(Access.mayUse(role, ConversationKind.find(kind).orElse(null), member))
                .isEqualTo(mayUse);
    }
}

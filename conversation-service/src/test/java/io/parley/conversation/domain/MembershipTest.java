package io.parley.conversation.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.events.ConversationKind;
import io.parley.events.Role;
import io.parley.kit.Caller;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The membership rule: a participant, or an admin on a support conversation; every role × kind × member or not. */
class MembershipTest {

    @ParameterizedTest(name = "{0} on {1}, participant {2}: {3}")
    @CsvSource({
        "CLIENT, direct,  true,  true",
        "CLIENT, direct,  false, false",
        "CLIENT, group,   true,  true",
        "CLIENT, group,   false, false",
        "CLIENT, support, true,  true",
        "CLIENT, support, false, false",
        "EXPERT, direct,  true,  true",
        "EXPERT, direct,  false, false",
        "EXPERT, group,   true,  true",
        "EXPERT, group,   false, false",
        "EXPERT, support, true,  true",
        "EXPERT, support, false, false",
        "ADMIN,  direct,  true,  true",
        "ADMIN,  direct,  false, false",
        "ADMIN,  group,   true,  true",
        "ADMIN,  group,   false, false",
        "ADMIN,  support, true,  true",
        "ADMIN,  support, false, true",
    })
    void aParticipantOrAnAdminOnASupportConversation(Role role, String wire, boolean participant, boolean may) {
        ConversationKind kind = ConversationKind.fromWire(wire);
        assertThat(Membership.mayAccess(role, kind, participant)).isEqualTo(may);

        // the same decision for a caller and a conversation as stored
        Conversation stored = Conversation.fresh(
                UUID.randomUUID(),
                kind,
                null,
                "owner",
                Instant.EPOCH,
                participant ? List.of("owner", "me") : List.of("owner"));
        assertThat(Membership.mayAccess(new Caller("me", role, "Me"), stored)).isEqualTo(may);

        // and the list's scope: who sees every support conversation is who may see one they are not in
        if (kind == ConversationKind.SUPPORT && !participant) {
            assertThat(Membership.seesEverySupportConversation(role)).isEqualTo(may);
        }
    }
}

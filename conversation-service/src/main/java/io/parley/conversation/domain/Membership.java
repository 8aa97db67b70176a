package io.parley.conversation.domain;

import io.parley.events.ConversationKind;
import io.parley.events.Role;
import io.parley.kit.Caller;

/**
 * The membership rule, decided here and nowhere else in this service: a user may see a conversation, read it and be
 * routed its events when they are <b>a participant, or an admin on a support conversation</b>. Where the rule is
 * applied to sets of rows in SQL (the admins' list scope in {@code ConversationStore.page}, the read positions and
 * counts in {@code InboxStore.read} and {@code InboxStore.counts}) those statements say so and follow this method.
 */
public final class Membership {

    private Membership() {}

    /**
     * The rule itself.
     *
     * @param role        the user's role
     * @param kind        the conversation's kind ({@code direct}, {@code group} or {@code support})
     * @param participant whether the user is one of its participants
     * @return whether the user may see the conversation
     */
    public static boolean mayAccess(Role role, ConversationKind kind, boolean participant) {
        return participant || (role == Role.ADMIN && kind == ConversationKind.SUPPORT);
    }

    /**
     * The rule for {@code caller} and {@code conversation} as stored.
     *
     * @return whether the caller may see the conversation
     */
    public static boolean mayAccess(Caller caller, Conversation conversation) {
        return mayAccess(
                caller.role(), conversation.kind(), conversation.participants().contains(caller.userId()));
    }

    /**
     * Whether {@code role} sees every support conversation, participant or not: the rule for a conversation the user
     * is not in, which decides the list's scope.
     *
     * @return true for admins
     */
    public static boolean seesEverySupportConversation(Role role) {
        return mayAccess(role, ConversationKind.SUPPORT, false);
    }
}

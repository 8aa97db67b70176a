package io.parley.message.domain;

import io.parley.kit.Caller;
import io.parley.message.store.MembershipStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

/**
 * Who may read and write a conversation, decided from the local membership replica alone: its participants, and
 * every admin for support conversations.
 */
@ApplicationScoped
public class Access {

    private final MembershipStore membership;

    public Access(MembershipStore membership) {
        this.membership = membership;
    }

    public Uni<Boolean> mayUse(Caller caller, UUID conversationId) {
        return membership.isMember(conversationId, caller.userId())
                .chain(member -> member || !caller.isAdmin()
                        ? Uni.createFrom().item(member)
                        : membership.kind(conversationId).map(kind -> kind.filter("support"::equals).isPresent()));
    }
}

package io.parley.message.domain;

import io.parley.kit.Caller;
import io.parley.message.store.MembershipStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;
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
        return mayUse(membership.pool(), caller, conversationId);
    }

    /** Whether the caller may use the conversation, read in {@code client} (a transaction when sending). */
    public Uni<Boolean> mayUse(SqlClient client, Caller caller, UUID conversationId) {
        return membership.isMember(client, conversationId, caller.userId())
                .chain(member -> member || !caller.isAdmin()
                        ? Uni.createFrom().item(member)
                        : membership.kind(client, conversationId).map(Access::isSupport));
    }

    private static boolean isSupport(Optional<String> kind) {
        return kind.filter("support"::equals).isPresent();
    }
}

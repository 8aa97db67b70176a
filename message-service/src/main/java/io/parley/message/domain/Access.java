package io.parley.message.domain;

import io.parley.events.ConversationKind;
import io.parley.events.Role;
import io.parley.kit.Caller;
import io.parley.message.store.MembershipStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * Who may read and write a conversation, decided from the local membership replica alone. The rule,
 * {@link #mayUse(Role, ConversationKind, boolean)}: a participant,
 * or an admin on a support conversation. The statements that
 * decide and write at once (a send, a read position) hold the same rule in SQL ({@code MembershipStore.MAY_USE}).
 */
@ApplicationScoped
public class Access implements io.parley.kit.ConversationVisibility {

    private final Pool pool;
    private final MembershipStore membership;
    private final ReplicaSync replica;

    public Access(Pool pool, MembershipStore membership, ReplicaSync replica) {
        this.pool = pool;
        this.membership = membership;
        this.replica = replica;
    }

    /**
     * As {@link #mayUse(Caller, UUID)}, but a refusal is decided again once the replica holds every record of the
     * conversation's partition ({@link ReplicaSync#awaitApplied}): a conversation whose creation (or the caller's
     * addition) is published but not yet applied here is not refused.
     *
     * @return whether the caller may use the conversation; a refusal comes at most {@code parley.replica.sync-timeout}
     *         late
     */
    public Uni<Boolean> mayUseCaughtUp(Caller caller, UUID conversationId) {
        return mayUse(caller, conversationId)
                .chain(allowed -> allowed
                        ? Uni.createFrom().item(true)
                        : replica.awaitApplied(conversationId)
                                .chain(caughtUp -> caughtUp
                                        ? mayUse(caller, conversationId)
                                        : Uni.createFrom().item(false)));
    }

    /**
     * As {@link #mayUseCaughtUp}: what the refusals of paths under {@code /api/conversations/{id}} are checked against
     * ({@link io.parley.kit.HiddenConversations}).
     */
    @Override
    public Uni<Boolean> visible(UUID conversationId, Caller caller) {
        return mayUseCaughtUp(caller, conversationId);
    }

    /**
     * @param caller         who asks
     * @param conversationId the conversation
     * @return whether the caller may use the conversation now
     */
    public Uni<Boolean> mayUse(Caller caller, UUID conversationId) {
        return mayUse(pool, caller, conversationId);
    }

    /**
     * @param client where to read the replica (a transaction when sending)
     * @return whether the caller may use the conversation, read in {@code client}
     */
    public Uni<Boolean> mayUse(SqlClient client, Caller caller, UUID conversationId) {
        return membership
                .standing(client, conversationId, caller.userId())
                .map(standing -> mayUse(caller.role(), standing.kind().orElse(null), standing.member()));
    }

    /**
     * The membership rule: a participant, or an admin on a support conversation. Pure.
     *
     * @param role   the caller's role
     * @param kind   the conversation's kind ({@code support}, {@code direct}, {@code group}); null when the replica
     *               does not know the conversation
     * @param member whether the caller takes part in it
     * @return whether the caller may read and write there
     */
    public static boolean mayUse(Role role, ConversationKind kind, boolean member) {
        return member || (role == Role.ADMIN && kind == ConversationKind.SUPPORT);
    }
}

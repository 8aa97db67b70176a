package io.parley.conversation.domain;

import io.parley.conversation.store.ConversationStore;
import io.parley.events.PresenceChanged;
import io.parley.events.PresenceRouted;
import io.parley.events.Role;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Presence, as the owner of membership sees it. A client or expert who connects has a support conversation from that
 * moment (idempotent: a change seen again creates nothing). Every change is routed to the users who share a
 * conversation with its user, and to every admin when the user has a support conversation.
 */
@ApplicationScoped
public class PresenceRouting {

    private final Pool pool;
    private final ConversationStore store;
    private final ConversationService conversations;

    /** Routes from the conversations in {@code store}; support conversations are made by {@code conversations}. */
    public PresenceRouting(Pool pool, ConversationStore store, ConversationService conversations) {
        this.pool = pool;
        this.store = store;
        this.conversations = conversations;
    }

    /**
     * Takes a change of {@code presence} into account (a client or expert coming online gets their support
     * conversation).
     *
     * @return the same change with its recipients, for the gateways to deliver
     */
    public Uni<PresenceRouted> route(PresenceChanged presence) {
        boolean clientOrExpert = presence.role() == Role.CLIENT || presence.role() == Role.EXPERT;
        Uni<Void> support = presence.online() && clientOrExpert
                ? conversations.support(presence.userId(), null).replaceWithVoid()
                : Uni.createFrom().voidItem();
        return support.chain(() -> store.findSupport(pool, presence.userId()))
                .chain(ownSupport -> store.contacts(presence.userId())
                        .map(contacts -> PresenceRouted.of(presence, contacts, ownSupport.isPresent())));
    }
}

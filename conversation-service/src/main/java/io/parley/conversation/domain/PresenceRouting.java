package io.parley.conversation.domain;

import io.parley.conversation.store.ConversationStore;
import io.parley.events.PresenceChanged;
import io.parley.events.PresenceRouted;
import io.parley.events.Role;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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
     * Takes a poll's changes into account (a client or expert coming online gets their support conversation, made
     * once per user) and routes each: two reads for the batch whatever its size (support owners, contacts), plus
     * one creation per client or expert coming online who has no support conversation yet.
     *
     * @param changes presence changes, in their order
     * @return the same changes, in the same order, each with its recipients, for the gateways to deliver
     */
    public Uni<List<PresenceRouted>> route(List<PresenceChanged> changes) {
        if (changes.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<String> users =
                changes.stream().map(PresenceChanged::userId).distinct().toList();
        List<String> comingOnline = changes.stream()
                .filter(c -> c.online() && (c.role() == Role.CLIENT || c.role() == Role.EXPERT))
                .map(PresenceChanged::userId)
                .distinct()
                .toList();
        // one read of who owns a support conversation; the clients and experts coming online who do not get theirs
        // made, after which every one of them owns one
        return store.supportOwners(pool, users).chain(found -> {
            Uni<Void> made = Uni.createFrom().voidItem();
            for (String user : comingOnline) {
                if (!found.contains(user)) {
                    made = made.chain(() -> conversations.support(user, null).replaceWithVoid());
                }
            }
            Set<String> owners = new HashSet<>(found);
            owners.addAll(comingOnline);
            return made.chain(() -> store.contacts(users))
                    .map(contacts -> changes.stream()
                            .map(c -> PresenceRouted.of(
                                    c, contacts.getOrDefault(c.userId(), List.of()), owners.contains(c.userId())))
                            .toList());
        });
    }
}

package io.parley.conversation.events;

import io.parley.conversation.domain.ConversationService;
import io.parley.conversation.store.ConversationStore;
import io.parley.events.Event;
import io.parley.events.PresenceChanged;
import io.parley.events.PresenceRouted;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Presence, as the owner of membership sees it. A client or expert who connects has a support conversation from that
 * moment (idempotent: a redelivered event changes nothing). Every change is routed to the users who share a
 * conversation with its user, and to every admin when the user has a support conversation; the gateways deliver it.
 */
@ApplicationScoped
public class PresenceConsumer {

    private final ConversationService conversations;
    private final ConversationStore store;
    private final MutinyEmitter<Record<String, Event>> routed;

    public PresenceConsumer(ConversationService conversations, ConversationStore store,
                            @Channel("presence-routed") MutinyEmitter<Record<String, Event>> routed) {
        this.conversations = conversations;
        this.store = store;
        this.routed = routed;
    }

    @Incoming("presence-events")
    public Uni<Void> consume(Event event) {
        if (!(event instanceof PresenceChanged presence)) {
            return Uni.createFrom().voidItem();
        }
        boolean clientOrExpert = "client".equals(presence.role()) || "expert".equals(presence.role());
        Uni<Void> support = presence.online() && clientOrExpert
                ? conversations.support(presence.userId(), null).replaceWithVoid()
                : Uni.createFrom().voidItem();
        return support
                .chain(() -> store.findSupport(store.pool(), presence.userId()))
                .chain(ownSupport -> store.contacts(presence.userId())
                        .chain(contacts -> {
                            PresenceRouted out = PresenceRouted.of(presence, contacts, ownSupport.isPresent());
                            return routed.send(Record.of(out.key(), out));
                        }));
    }
}

package io.parley.conversation.events;

import io.parley.conversation.domain.ConversationService;
import io.parley.events.Event;
import io.parley.events.PresenceChanged;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * A client or expert who connects has a support conversation from that moment, before they ever list their
 * conversations. Creating it is idempotent, so a redelivered event changes nothing.
 */
@ApplicationScoped
public class PresenceConsumer {

    private final ConversationService conversations;

    public PresenceConsumer(ConversationService conversations) {
        this.conversations = conversations;
    }

    @Incoming("presence-events")
    public Uni<Void> consume(Event event) {
        if (event instanceof PresenceChanged presence && presence.online()
                && ("client".equals(presence.role()) || "expert".equals(presence.role()))) {
            return conversations.support(presence.userId()).replaceWithVoid();
        }
        return Uni.createFrom().voidItem();
    }
}

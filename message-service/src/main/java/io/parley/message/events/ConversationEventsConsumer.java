package io.parley.message.events;

import io.parley.events.ConversationCreated;
import io.parley.events.Event;
import io.parley.events.ParticipantAdded;
import io.parley.events.ParticipantRemoved;
import io.parley.kit.ProcessedEvents;
import io.parley.message.store.MembershipStore;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Keeps the membership replica from the conversation-service's events, each applied once. */
@ApplicationScoped
public class ConversationEventsConsumer {

    private final MembershipStore store;

    public ConversationEventsConsumer(MembershipStore store) {
        this.store = store;
    }

    @Incoming("conversation-events")
    public Uni<Void> consume(Event event) {
        if (event == null) {
            // A record nobody can read was logged by the connector; skipping it keeps the partition moving.
            return Uni.createFrom().voidItem();
        }
        return store.pool().withTransaction(tx -> ProcessedEvents.firstTime(tx, event.eventId())
                .chain(first -> {
                    if (!first) {
                        Log.debugf("duplicate event %s dropped", event.eventId());
                        return Uni.createFrom().voidItem();
                    }
                    if (event instanceof ConversationCreated e) {
                        return store.apply(tx, e);
                    }
                    if (event instanceof ParticipantAdded e) {
                        return store.apply(tx, e);
                    }
                    if (event instanceof ParticipantRemoved e) {
                        return store.apply(tx, e);
                    }
                    return Uni.createFrom().voidItem();
                }));
    }
}

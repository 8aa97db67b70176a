package io.parley.conversation.events;

import io.parley.conversation.client.PresenceRoutedProducer;
import io.parley.conversation.domain.PresenceRouting;
import io.parley.events.Event;
import io.parley.events.PresenceChanged;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Presence changes from {@code parley.presence-events}, routed by {@link PresenceRouting} and published back as
 * {@code presence.routed} for the gateways to deliver.
 */
@ApplicationScoped
public class PresenceConsumer {

    private final PresenceRouting routing;
    private final PresenceRoutedProducer routed;

    /** Routes with {@code routing} and publishes with {@code routed}. */
    public PresenceConsumer(PresenceRouting routing, PresenceRoutedProducer routed) {
        this.routing = routing;
        this.routed = routed;
    }

    /**
     * Routes a poll's {@code presence.changed} events together; any other event of the topic (the {@code
     * presence.routed} this service publishes there) is ignored. The routed changes are handed to the producer in
     * their order (one user's keep their order: same key, same partition) and awaited together.
     *
     * @return completes once every routed change of the batch is acknowledged by Kafka
     */
    @Incoming("presence-events")
    public Uni<Void> consume(List<Event> batch) {
        List<PresenceChanged> changes = batch.stream()
                .filter(PresenceChanged.class::isInstance)
                .map(PresenceChanged.class::cast)
                .toList();
        if (changes.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return routing.route(changes).chain(routed::publish);
    }
}

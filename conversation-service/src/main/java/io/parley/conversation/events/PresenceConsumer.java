package io.parley.conversation.events;

import io.parley.conversation.domain.PresenceRouting;
import io.parley.events.Event;
import io.parley.events.PresenceChanged;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Presence changes from {@code parley.presence-events}, routed by {@link PresenceRouting} and published back as
 * {@code presence.routed} for the gateways to deliver.
 */
@ApplicationScoped
public class PresenceConsumer {

    private final PresenceRouting routing;
    private final MutinyEmitter<Record<String, Event>> routed;

    /** Routes with {@code routing} and publishes on the {@code presence-routed} channel. */
    public PresenceConsumer(
            PresenceRouting routing, @Channel("presence-routed") MutinyEmitter<Record<String, Event>> routed) {
        this.routing = routing;
        this.routed = routed;
    }

    /**
     * Routes a {@code presence.changed}; any other event of the topic (the {@code presence.routed} this service
     * publishes there) is ignored.
     *
     * @return completes once the routed change is acknowledged by Kafka
     */
    @Incoming("presence-events")
    public Uni<Void> consume(Event event) {
        if (!(event instanceof PresenceChanged presence)) {
            return Uni.createFrom().voidItem();
        }
        return routing.route(presence).chain(out -> routed.send(Record.of(out.key(), out)));
    }
}

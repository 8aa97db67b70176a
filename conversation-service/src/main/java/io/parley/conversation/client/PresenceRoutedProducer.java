package io.parley.conversation.client;

import io.parley.events.Event;
import io.parley.events.PresenceRouted;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** Publishes routed presence ({@code presence.routed}) on {@code parley.presence-events} for the gateways. */
@ApplicationScoped
public class PresenceRoutedProducer {

    private final MutinyEmitter<Record<String, Event>> routed;

    public PresenceRoutedProducer(@Channel("presence-routed") MutinyEmitter<Record<String, Event>> routed) {
        this.routed = routed;
    }

    /**
     * Hands {@code changes} to the producer in their order (one user's keep it: same key, same partition) and awaits
     * them together.
     *
     * @return completes once Kafka acknowledged every one; fails if one could not be sent
     */
    public Uni<Void> publish(List<PresenceRouted> changes) {
        if (changes.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.join()
                .all(changes.stream()
                        .map(r -> routed.send(Record.of(r.key(), r)))
                        .toList())
                .andFailFast()
                .replaceWithVoid();
    }
}

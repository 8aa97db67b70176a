package io.parley.conversation.events;

import io.parley.conversation.domain.Mutes;
import io.parley.events.Event;
import io.parley.events.MuteChanged;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Keeps users' mutes from {@code parley.user-events}, so that the conversation views answer {@code muted}. */
@ApplicationScoped
public class MuteConsumer {

    private final Mutes mutes;

    /** Hands mute changes to {@code mutes}. */
    public MuteConsumer(Mutes mutes) {
        this.mutes = mutes;
    }

    /** Applies a {@code mute.changed}; any other event of the topic is ignored. */
    @Incoming("user-events")
    public Uni<Void> consume(Event event) {
        if (!(event instanceof MuteChanged change)) {
            return Uni.createFrom().voidItem();
        }
        return mutes.apply(change);
    }
}

package io.parley.notification.events;

import io.parley.events.Event;
import io.parley.notification.domain.UserStates;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Who is online (the gateways' presence changes) and users' total unread (the inbox's counts), for the alerts. */
@ApplicationScoped
public class UserStateConsumer {

    private final UserStates states;

    public UserStateConsumer(UserStates states) {
        this.states = states;
    }

    /**
     * @param batch a poll's presence events; others (and null) are skipped
     * @return completion once stored ({@link UserStates#presence})
     */
    @Incoming("presence-events")
    public Uni<Void> presence(List<Event> batch) {
        return states.presence(batch);
    }

    /**
     * @param batch a poll's inbox events; others (and null) are skipped
     * @return completion once stored ({@link UserStates#unread})
     */
    @Incoming("unread-events")
    public Uni<Void> unread(List<Event> batch) {
        return states.unread(batch);
    }
}

package io.parley.notification.events;

import io.parley.events.Event;
import io.parley.events.ParticipantAdded;
import io.parley.events.ParticipantRemoved;
import io.parley.notification.domain.PendingAlerts;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Membership changes from the conversation-service: a participant removed gets no alert for that conversation from
 * then on (what was pending for them there is dropped); one added back is alerted again. Each event once.
 */
@ApplicationScoped
public class ConversationEventsConsumer {

    private final PendingAlerts alerts;

    public ConversationEventsConsumer(PendingAlerts alerts) {
        this.alerts = alerts;
    }

    /**
     * @param event a conversation event; null (a record nobody could read, logged by the connector) and other types
     *              are skipped
     * @return completion once applied
     */
    @Incoming("conversation-events")
    public Uni<Void> consume(Event event) {
        if (event instanceof ParticipantRemoved removed) {
            return alerts.removed(removed);
        }
        if (event instanceof ParticipantAdded added) {
            return alerts.added(added);
        }
        return Uni.createFrom().voidItem();
    }
}

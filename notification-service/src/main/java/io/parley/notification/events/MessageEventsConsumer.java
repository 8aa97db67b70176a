package io.parley.notification.events;

import io.parley.events.Event;
import io.parley.notification.domain.PendingAlerts;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Objects;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Turns message events into pending alerts: new messages open or join them, reads (and sends) cancel them, edits and
 * deletions revise their preview, once per event.
 */
@ApplicationScoped
public class MessageEventsConsumer {

    private final PendingAlerts alerts;

    public MessageEventsConsumer(PendingAlerts alerts) {
        this.alerts = alerts;
    }

    /**
     * A batch of events from one poll is applied in one transaction with a fixed number of statements, whatever its
     * size (see {@link PendingAlerts#messages}).
     *
     * @param batch the poll's events; a record nobody could read arrives as null and is skipped
     * @return completion once the batch is committed
     */
    @Incoming("message-events")
    public Uni<Void> consume(List<Event> batch) {
        return alerts.messages(batch.stream().filter(Objects::nonNull).toList());
    }
}

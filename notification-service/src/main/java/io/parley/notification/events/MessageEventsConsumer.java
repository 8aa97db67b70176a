package io.parley.notification.events;

import io.parley.events.Event;
import io.parley.events.MessageData;
import io.parley.events.MessageEvent;
import io.parley.kit.ProcessedEvents;
import io.parley.notification.store.PendingAlertStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.time.Duration;
import java.util.List;

/** Turns each new message into pending alerts for its recipients, once per event. */
@ApplicationScoped
public class MessageEventsConsumer {

    private final PendingAlertStore alerts;
    private final Duration graceDelay;

    public MessageEventsConsumer(PendingAlertStore alerts,
                                 @ConfigProperty(name = "parley.notification.grace-delay") Duration graceDelay) {
        this.alerts = alerts;
        this.graceDelay = graceDelay;
    }

    /**
     * A batch of events from one poll is applied in one transaction (one commit for many messages); each event still
     * counts once, by its id.
     */
    @Incoming("message-events")
    public Uni<Void> consume(List<Event> batch) {
        List<MessageEvent> created = batch.stream()
                .filter(e -> e instanceof MessageEvent m && MessageEvent.CREATED.equals(m.type()))
                .map(MessageEvent.class::cast)
                .toList();
        if (created.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return alerts.pool().withTransaction(tx -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (MessageEvent event : created) {
                chain = chain.chain(() -> apply(tx, event));
            }
            return chain;
        });
    }

    private Uni<Void> apply(io.vertx.mutiny.sqlclient.SqlClient tx, MessageEvent created) {
        MessageData message = created.message();
        List<String> recipients = created.participants().stream()
                .filter(userId -> !userId.equals(message.senderId()))
                .toList();
        return ProcessedEvents.firstTime(tx, created.eventId())
                .chain(first -> first
                        ? alerts.addUnread(tx, recipients, message.conversationId(), message.seq(),
                                message.senderName(), created.occurredAt().plus(graceDelay))
                        : Uni.createFrom().voidItem());
    }
}

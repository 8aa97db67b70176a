package io.parley.notification.events;

import io.parley.events.Event;
import io.parley.events.MessageData;
import io.parley.events.MessageEvent;
import io.parley.events.ReadMoved;
import io.parley.kit.ProcessedEvents;
import io.parley.notification.store.PendingAlertStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.time.Duration;
import java.util.List;

/**
 * Turns each new message into pending alerts for its recipients, and each read (or send) into cancelled ones, once
 * per event.
 */
@ApplicationScoped
public class MessageEventsConsumer {

    /** The longest preview an alert carries, in characters. */
    static final int PREVIEW_LENGTH = 200;

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
        List<Event> relevant = batch.stream()
                .filter(e -> (e instanceof MessageEvent m && MessageEvent.CREATED.equals(m.type()))
                        || e instanceof ReadMoved)
                .toList();
        if (relevant.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return alerts.pool().withTransaction(tx -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Event event : relevant) {
                chain = chain.chain(() -> ProcessedEvents.firstTime(tx, event.eventId())
                        .chain(first -> first ? apply(tx, event) : Uni.createFrom().voidItem()));
            }
            return chain;
        });
    }

    private Uni<Void> apply(SqlClient tx, Event event) {
        if (event instanceof ReadMoved read) {
            return alerts.read(tx, read.userId(), read.conversationId(), read.seq());
        }
        MessageEvent created = (MessageEvent) event;
        MessageData message = created.message();
        List<String> recipients = created.participants().stream()
                .filter(userId -> !userId.equals(message.senderId()))
                .toList();
        // The sender has read up to their own message: nothing pending for them there any more.
        return alerts.read(tx, message.senderId(), message.conversationId(), message.seq())
                .chain(() -> alerts.addUnread(tx, recipients, message.conversationId(), message.seq(),
                        message.senderName(), preview(message), created.occurredAt().plus(graceDelay)));
    }

    private static String preview(MessageData message) {
        String content = message.content();
        if (content == null || content.isBlank()) {
            return message.attachments().isEmpty() ? null : "Attachment";
        }
        return content.length() <= PREVIEW_LENGTH ? content : content.substring(0, PREVIEW_LENGTH - 1) + "…";
    }
}

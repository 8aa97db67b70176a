package io.parley.notification.events;

import io.parley.events.Event;
import io.parley.events.MessageData;
import io.parley.events.MessageEvent;
import io.parley.events.ReadMoved;
import io.parley.kit.ProcessedEvents;
import io.parley.notification.store.PendingAlertStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

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
     * A batch of events from one poll is applied in one transaction with three statements, whatever its size: the
     * events' ids (each event counts once), the new unread messages per (recipient, conversation), then the reads
     * (and each sender's own position) per (reader, conversation). Reads go after the new messages: a read up to seq
     * r cancels every message up to r, and a message's event always comes before the reads that reach it (both are
     * keyed by conversation), so applying them in that order gives what applying the events one by one would.
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
        return alerts.pool().withTransaction(tx -> ProcessedEvents.firstTimes(tx,
                        relevant.stream().map(Event::eventId).toList())
                .chain(fresh -> {
                    Set<UUID> once = new HashSet<>(fresh);
                    List<Event> apply = relevant.stream().filter(e -> once.remove(e.eventId())).toList();
                    return alerts.addUnread(tx, unread(apply)).chain(() -> alerts.read(tx, reads(apply)));
                }));
    }

    /** The new messages of a batch, one row per (recipient, conversation). */
    private List<PendingAlertStore.Unread> unread(List<Event> events) {
        Map<Map.Entry<String, UUID>, PendingAlertStore.Unread> rows = new LinkedHashMap<>();
        for (Event event : events) {
            if (!(event instanceof MessageEvent created)) {
                continue;
            }
            MessageData message = created.message();
            Instant due = created.occurredAt().plus(graceDelay);
            for (String recipient : created.participants()) {
                if (recipient.equals(message.senderId())) {
                    continue;
                }
                PendingAlertStore.Unread one = new PendingAlertStore.Unread(recipient, message.conversationId(),
                        message.seq(), message.seq(), 1, message.senderName(), preview(message), due);
                rows.merge(Map.entry(recipient, message.conversationId()), one, (had, next) ->
                        new PendingAlertStore.Unread(had.userId(), had.conversationId(),
                                Math.min(had.firstSeq(), next.firstSeq()), Math.max(had.lastSeq(), next.lastSeq()),
                                had.count() + 1,
                                next.lastSeq() > had.lastSeq() ? next.lastSenderName() : had.lastSenderName(),
                                next.lastSeq() > had.lastSeq() ? next.lastPreview() : had.lastPreview(),
                                had.dueAt().isBefore(next.dueAt()) ? had.dueAt() : next.dueAt()));
            }
        }
        return List.copyOf(rows.values());
    }

    /** The furthest position of each (reader, conversation) in a batch: reads, and each sender at their message. */
    private static List<PendingAlertStore.Read> reads(List<Event> events) {
        Map<Map.Entry<String, UUID>, PendingAlertStore.Read> rows = new LinkedHashMap<>();
        for (Event event : events) {
            PendingAlertStore.Read read = event instanceof ReadMoved moved
                    ? new PendingAlertStore.Read(moved.userId(), moved.conversationId(), moved.seq())
                    : new PendingAlertStore.Read(((MessageEvent) event).message().senderId(),
                    ((MessageEvent) event).message().conversationId(), ((MessageEvent) event).message().seq());
            rows.merge(Map.entry(read.userId(), read.conversationId()), read,
                    (had, next) -> next.seq() > had.seq() ? next : had);
        }
        return List.copyOf(rows.values());
    }

    private static String preview(MessageData message) {
        String content = message.content();
        if (content == null || content.isBlank()) {
            return message.attachments().isEmpty() ? null : "Attachment";
        }
        return content.length() <= PREVIEW_LENGTH ? content : content.substring(0, PREVIEW_LENGTH - 1) + "…";
    }
}

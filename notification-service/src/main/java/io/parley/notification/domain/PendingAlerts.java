package io.parley.notification.domain;

import io.parley.events.Event;
import io.parley.events.MessageEvent;
import io.parley.events.ParticipantAdded;
import io.parley.events.ParticipantRemoved;
import io.parley.events.PreviewMode;
import io.parley.events.ReadMoved;
import io.parley.kit.ProcessedEvents;
import io.parley.notification.store.DeliveryStore;
import io.parley.notification.store.PendingAlertStore;
import io.parley.notification.store.RemovalStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * The use cases that keep pending alerts (and deliveries not sent yet) from events, each in one transaction that
 * also records the events' ids, so a redelivered event changes nothing:
 * <ul>
 * <li>message events and reads: new messages open or join alerts, reads cancel them, edits and deletions revise the
 * preview, and the participants an event names decide who may have an alert in its conversation;</li>
 * <li>a participant removed: their alert there and its deliveries not sent yet are dropped at once, and later
 * message events that still name them (the message-service applies the removal a little later) alert them no
 * more;</li>
 * <li>a participant added (back): message events alert them again.</li>
 * </ul>
 * A removal and a batch of message events of the same conversation take the conversation's lock, so that each sees
 * all of what the other wrote.
 */
@ApplicationScoped
public class PendingAlerts {

    private final Pool pool;
    private final PendingAlertStore alerts;
    private final DeliveryStore deliveries;
    private final RemovalStore removals;
    private final Duration graceDelay;
    private final PreviewMode preview;

    public PendingAlerts(
            Pool pool,
            PendingAlertStore alerts,
            DeliveryStore deliveries,
            RemovalStore removals,
            NotificationConfig.Notification notification,
            NotificationConfig.Push push) {
        this.pool = pool;
        this.alerts = alerts;
        this.deliveries = deliveries;
        this.removals = removals;
        this.graceDelay = notification.graceDelay();
        this.preview = PreviewMode.ofSetting(push.preview());
    }

    /**
     * Applies a batch of message events and reads from one poll, in one transaction with a fixed number of
     * statements whatever its size (see {@link MessageBatch} for what each does). Other events are ignored.
     *
     * @param batch the events in the order they were consumed
     * @return completion once committed
     */
    public Uni<Void> messages(List<Event> batch) {
        return messages(batch, event -> null);
    }

    /**
     * Applies a batch like {@link #messages(List)}, each pending alert keeping the trace context of its latest
     * message's event, so that the push sent for it later joins that message's trace ({@link AlertDispatcher}).
     *
     * @param batch   the events in the order they were consumed
     * @param traceOf the W3C {@code traceparent} each event was consumed under, or null when it was not traced
     * @return completion once committed
     */
    public Uni<Void> messages(List<Event> batch, Function<Event, String> traceOf) {
        List<Event> relevant = batch.stream()
                .filter(e -> e instanceof MessageEvent || e instanceof ReadMoved)
                .toList();
        if (relevant.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return pool.withTransaction(tx -> ProcessedEvents.firstTimes(
                        tx, relevant.stream().map(Event::eventId).toList())
                .chain(fresh -> {
                    Set<UUID> once = new HashSet<>(fresh);
                    List<Event> apply = relevant.stream()
                            .filter(e -> once.remove(e.eventId()))
                            .toList();
                    if (apply.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    Set<UUID> conversations = new LinkedHashSet<>();
                    apply.forEach(e -> conversations.add(
                            e instanceof ReadMoved r
                                    ? r.conversationId()
                                    : ((MessageEvent) e).message().conversationId()));
                    return removals.lock(tx, conversations)
                            .chain(() -> removals.of(tx, conversations))
                            .chain(known -> apply(tx, MessageBatch.of(apply, known, graceDelay, traceOf)));
                }));
    }

    private Uni<Void> apply(SqlClient tx, MessageBatch batch) {
        List<MessageBatch.Member> members = batch.members();
        return alerts.addUnread(tx, batch.unread())
                .chain(() -> alerts.keepOnly(tx, members))
                .chain(() -> deliveries.keepOnly(tx, members))
                .chain(() -> alerts.read(tx, batch.reads()))
                .chain(() -> alerts.revise(tx, batch.revisions()))
                .chain(() -> revise(tx, batch.revisions()))
                .chain(() -> removals.confirmed(tx, batch.confirmed()))
                .chain(() -> removals.ended(tx, batch.readded()));
    }

    /** Deliveries not sent yet whose last message was edited or deleted carry its new preview, or none. */
    private Uni<Void> revise(SqlClient tx, List<MessageBatch.Revision> revisions) {
        if (revisions.isEmpty() || preview != PreviewMode.FULL) {
            return Uni.createFrom().voidItem(); // the other previews show no text
        }
        Map<Map.Entry<UUID, Long>, String> previews = new HashMap<>();
        revisions.forEach(r -> previews.put(Map.entry(r.conversationId(), r.seq()), r.preview()));
        return deliveries
                .previewing(tx, revisions)
                .chain(queued -> deliveries.rewrite(
                        tx,
                        queued.stream()
                                .map(q -> new DeliveryStore.Queued(
                                        q.id(),
                                        q.conversationId(),
                                        q.lastSeq(),
                                        AlertText.revise(
                                                preview,
                                                q.payload(),
                                                previews.get(Map.entry(q.conversationId(), q.lastSeq())))))
                                .toList()));
    }

    /**
     * A participant was removed: in one transaction, their pending alert for the conversation and every delivery of
     * it not sent yet are dropped, and the removal is recorded so that message events published before the
     * message-service applied it alert them no more.
     *
     * @param removed the event; applied once by its id
     * @return completion once committed
     */
    public Uni<Void> removed(ParticipantRemoved removed) {
        return pool.withTransaction(tx -> ProcessedEvents.firstTime(tx, removed.eventId())
                .chain(first -> !first
                        ? Uni.createFrom().voidItem()
                        : removals.lock(tx, List.of(removed.conversationId()))
                                // the pending alert first: if the dispatcher is turning it into deliveries, this waits
                                // for that to commit, and the next statement sees (and drops) those deliveries
                                .chain(() -> alerts.drop(tx, removed.conversationId(), removed.userId()))
                                .chain(() -> deliveries.drop(tx, removed.conversationId(), removed.userId()))
                                .chain(() -> removals.removed(
                                        tx, removed.conversationId(), removed.userId(), removed.occurredAt()))));
    }

    /**
     * A participant was added (or added back): message events that name them alert them again.
     *
     * @param added the event; applied once by its id
     * @return completion once committed
     */
    public Uni<Void> added(ParticipantAdded added) {
        return pool.withTransaction(tx -> ProcessedEvents.firstTime(tx, added.eventId())
                .chain(first -> !first
                        ? Uni.createFrom().voidItem()
                        : removals.lock(tx, List.of(added.conversationId()))
                                .chain(() -> removals.ended(
                                        tx,
                                        List.of(new MessageBatch.Member(added.conversationId(), added.userId()))))));
    }
}

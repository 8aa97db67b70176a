package io.parley.conversation.events;

import io.parley.conversation.ConversationMetrics;
import io.parley.conversation.domain.Inbox;
import io.parley.events.Event;
import io.parley.events.MessageEvent;
import io.parley.events.ReadMoved;
import io.parley.events.UnreadChanged;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Keeps the inbox read model ({@link Inbox}) from {@code parley.message-events}: a batch of events from one poll is
 * applied in one transaction; then the new unread counts of everyone whose count changed are published on
 * {@code parley.inbox-events}, one record per conversation, for the gateways to tell their connections.
 */
@ApplicationScoped
public class InboxConsumer {

    private final Inbox inbox;
    private final MutinyEmitter<Record<String, Event>> unread;
    private final ConversationMetrics metrics;

    /**
     * Applies batches to {@code inbox} and publishes the counts on the {@code inbox-out} channel; each batch's time is
     * measured in {@code metrics}.
     */
    public InboxConsumer(
            Inbox inbox,
            @Channel("inbox-out") MutinyEmitter<Record<String, Event>> unread,
            ConversationMetrics metrics) {
        this.inbox = inbox;
        this.unread = unread;
        this.metrics = metrics;
    }

    /**
     * Applies the batch's message events and read moves (others are ignored).
     *
     * @return completes once the batch is committed and its counts are handed to the producer
     */
    @Incoming("inbox-messages")
    public Uni<Void> consume(List<Event> batch) {
        List<Event> relevant = batch.stream()
                .filter(e -> e instanceof MessageEvent || e instanceof ReadMoved)
                .toList();
        if (relevant.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        long started = System.nanoTime();
        return inbox.apply(relevant)
                .chain(this::publish)
                .invoke(() -> metrics.inboxBatch(relevant.size(), System.nanoTime() - started));
    }

    /**
     * Hands the batch's counts to the Kafka producer without waiting for the broker, so the next batch is applied
     * meanwhile; the producer keeps each conversation's records in order. Counts are derived state: one that is lost
     * is corrected by the next change or by GET /api/unread.
     */
    private Uni<Void> publish(List<UnreadChanged> changes) {
        for (UnreadChanged change : changes) {
            unread.sendAndForget(Record.of(change.key(), change));
        }
        return Uni.createFrom().voidItem();
    }
}

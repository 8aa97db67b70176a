package io.parley.conversation.domain;

import io.parley.conversation.ConversationConfig;
import io.parley.conversation.store.ConversationStore;
import io.parley.conversation.store.InboxStore;
import io.parley.events.Event;
import io.parley.events.MessageEvent;
import io.parley.events.UnreadChanged;
import io.parley.kit.ProcessedEvents;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The inbox read model, kept from message events: each conversation's last message, last seq and place in the list,
 * and each reader's position; and the unread counts read from it.
 */
@ApplicationScoped
public class Inbox {

    private final Pool pool;
    private final InboxStore store;
    private final ConversationStore conversations;
    private final Duration movesKept;

    /** The read model in {@code pool}; list moves are kept {@code parley.inbox.moves-kept}. */
    public Inbox(Pool pool, InboxStore store, ConversationStore conversations, ConversationConfig config) {
        this.pool = pool;
        this.store = store;
        this.conversations = conversations;
        this.movesKept = config.inbox().movesKept();
    }

    /**
     * Applies a batch of message events and read moves in one transaction, each event once (by its id), in their
     * order per conversation; then reads the counts of everyone the batch concerns.
     *
     * @return one {@code unread.changed} per conversation whose readers' counts the batch may have changed (empty when
     *         every event was applied before)
     */
    public Uni<List<UnreadChanged>> apply(List<Event> events) {
        return pool.withTransaction(tx -> ProcessedEvents.firstTimes(
                        tx, events.stream().map(Event::eventId).toList())
                .chain(fresh -> apply(
                        tx,
                        InboxBatch.of(events.stream()
                                .filter(e -> fresh.contains(e.eventId()))
                                .toList()))));
    }

    private Uni<List<UnreadChanged>> apply(SqlClient tx, InboxBatch batch) {
        Uni<Void> chain = store.messagesCreated(tx, batch.latest());
        for (MessageEvent message : batch.changed()) {
            chain = chain.chain(() -> store.messageChanged(
                    tx, message.conversationId(), message.message().seq(), InboxBatch.json(message.message())));
        }
        List<UUID> pairConversations = new ArrayList<>();
        List<String> pairUsers = new ArrayList<>();
        batch.touched()
                .forEach((conversation, members) -> members.forEach(user -> {
                    pairConversations.add(conversation);
                    pairUsers.add(user);
                }));
        Instant now = Instant.now();
        return chain.chain(() -> store.read(tx, batch.positions()))
                .chain(() -> store.skipUnaddressed(tx, batch.addressed()))
                .chain(() -> store.counts(tx, pairConversations, pairUsers))
                .map(counts -> counts.entrySet().stream()
                        .map(e -> UnreadChanged.of(e.getKey(), e.getValue(), now))
                        .toList());
    }

    /**
     * {@code userId}'s unread count in each of the conversations they take part in that has unread messages (the
     * read model of the conversation list, so that the two agree).
     *
     * @return conversation id to count, only those above 0
     */
    public Uni<Map<UUID, Long>> unread(String userId) {
        return conversations.unread(userId);
    }

    /** Every minute, forgets the list moves older than {@code parley.inbox.moves-kept}; a failure is logged. */
    @Scheduled(
            skipExecutionIf = Scheduled.ApplicationNotRunning.class,
            every = "1m",
            delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> pruneMoves() {
        return store.pruneMoves(pool, movesKept)
                .onFailure()
                .invoke(failure -> Log.warnf("old list moves not pruned: %s", failure.toString()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }
}

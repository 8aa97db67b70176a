package io.parley.conversation.domain;

import io.parley.conversation.store.ConversationStore;
import io.parley.events.MuteChanged;
import io.parley.kit.ProcessedEvents;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Users' mutes of conversations, as the notification-service (their owner) announces them: kept so that the views
 * answer {@code muted} without calling it. Each change is applied once (by event id) and never after a later one.
 */
@ApplicationScoped
public class Mutes {

    private final Pool pool;
    private final ConversationStore store;

    /** Keeps mutes in {@code store}, in transactions of {@code pool}. */
    public Mutes(Pool pool, ConversationStore store) {
        this.pool = pool;
        this.store = store;
    }

    /**
     * Applies {@code change} in one transaction with the record of its id.
     *
     * @return completes once committed (a redelivered change commits nothing new)
     */
    public Uni<Void> apply(MuteChanged change) {
        return pool.withTransaction(tx -> ProcessedEvents.firstTime(tx, change.eventId())
                .chain(first -> first
                        ? store.applyMute(
                                tx,
                                change.userId(),
                                change.conversationId(),
                                change.muted(),
                                change.until(),
                                change.occurredAt())
                        : Uni.createFrom().voidItem()));
    }
}

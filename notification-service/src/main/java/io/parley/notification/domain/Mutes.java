package io.parley.notification.domain;

import io.parley.events.MuteChanged;
import io.parley.events.Topics;
import io.parley.kit.Outbox;
import io.parley.kit.OutboxRelay;
import io.parley.notification.store.MuteStore;
import io.parley.notification.store.MuteStore.Mute;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A user's muted conversations: no alert for them until a time, or until unmuted. Each change writes a
 * {@code mute.changed} event to the outbox in its transaction ({@link Topics#USERS}, keyed by user), so that the
 * conversation-service's views answer {@code muted} without calling this service.
 */
@ApplicationScoped
public class Mutes {

    /** The most mutes {@link #list} answers. */
    static final int MAX_MUTES = 10_000;

    private final Pool pool;
    private final MuteStore mutes;
    private final OutboxRelay relay;

    public Mutes(Pool pool, MuteStore mutes, OutboxRelay relay) {
        this.pool = pool;
        this.mutes = mutes;
        this.relay = relay;
    }

    /**
     * @param userId whose mutes
     * @return the user's mutes in force now, by conversation id (at most {@value #MAX_MUTES})
     */
    public Uni<List<Mute>> list(String userId) {
        return mutes.inForce(pool, userId, MAX_MUTES);
    }

    /**
     * Mutes the conversation for the user, with its event, in one transaction.
     *
     * @param until when the mute ends; null for good
     * @return completion once committed
     */
    public Uni<Void> mute(String userId, UUID conversationId, Instant until) {
        return pool.withTransaction(tx -> mutes.mute(tx, userId, conversationId, until)
                        .chain(() -> Outbox.append(
                                tx, Topics.USERS, MuteChanged.of(userId, conversationId, true, until, Instant.now()))))
                .invoke(relay::wakeUp)
                .replaceWithVoid();
    }

    /**
     * Unmutes the conversation for the user (muted or not), with its event, in one transaction.
     *
     * @return completion once committed
     */
    public Uni<Void> unmute(String userId, UUID conversationId) {
        return pool.withTransaction(tx -> mutes.unmute(tx, userId, conversationId)
                        .chain(() -> Outbox.append(
                                tx, Topics.USERS, MuteChanged.of(userId, conversationId, false, null, Instant.now()))))
                .invoke(relay::wakeUp)
                .replaceWithVoid();
    }
}

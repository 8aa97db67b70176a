package io.parley.message.domain;

import io.parley.events.Topics;
import io.parley.message.client.KafkaEndOffsets;
import io.parley.message.client.KafkaEndOffsets.PartitionEnd;
import io.parley.message.store.ReplicaPositionStore;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits until the membership replica holds what the conversation-service published about a conversation: every record
 * its partition of {@code parley.conversation-events} held when asked. The conversation-service asks after a creation,
 * an addition or a removal was published and before it answers its own caller, so whatever it acknowledged is in
 * force here at once; a send still needs no call to another service. That wait is bounded on the conversation-service's
 * side (a slow start, a burst of new conversations), so a refusal made from the replica is checked once more here
 * after the replica caught up ({@link #againWhenCaughtUp}) before it goes out.
 */
@ApplicationScoped
public class ReplicaSync {

    /** How often the replica's position is read again while waiting. */
    static final Duration POLL = Duration.ofMillis(10);

    private final Pool pool;
    private final KafkaEndOffsets offsets;
    private final ReplicaPositionStore positions;
    private final Duration timeout;

    public ReplicaSync(Pool pool, KafkaEndOffsets offsets, ReplicaPositionStore positions, ReplicaConfig config) {
        this.pool = pool;
        this.offsets = offsets;
        this.positions = positions;
        this.timeout = config.syncTimeout();
    }

    /** @return the longest {@link #awaitApplied} waits ({@code parley.replica.sync-timeout}) */
    public Duration timeout() {
        return timeout;
    }

    /**
     * Answers true once the replica has applied every record that the partition of {@code conversationId} held when
     * this was called; false when that did not happen within the timeout or Kafka could not be asked. Never fails, and
     * never blocks a thread: it reads the position again every {@link #POLL}.
     */
    public Uni<Boolean> awaitApplied(UUID conversationId) {
        long deadline = System.nanoTime() + timeout.toNanos();
        return offsets.endOf(Topics.CONVERSATIONS, conversationId.toString())
                .chain(end -> reached(end, deadline))
                .ifNoItem()
                .after(timeout)
                .recoverWithItem(false)
                .onFailure()
                .recoverWithItem(failure -> {
                    Log.warnf("replica sync for %s failed: %s", conversationId, failure.toString());
                    return false;
                });
    }

    /**
     * Runs {@code attempt}; when it fails with a refusal that the replica decided ({@code refused} says which), waits
     * as {@link #awaitApplied} does for the replica to hold every record of the conversation's partition, then runs
     * {@code attempt} once more and answers that. A conversation the caller was told about a moment ago (its creation
     * or their addition published, not yet applied here) is thus never refused; a refusal that stands costs one
     * look at the partition's end offset. When the replica does not catch up within the timeout, the first refusal is
     * the answer.
     *
     * @param conversationId the conversation the attempt is about
     * @param refused        which failures of the attempt are the replica's refusals (others pass through at once)
     * @param attempt        the operation; called once, or twice after a refusal
     * @return the attempt's item, or its failure
     */
    public <T> Uni<T> againWhenCaughtUp(UUID conversationId, Predicate<Throwable> refused, Supplier<Uni<T>> attempt) {
        return attempt.get()
                .onFailure(refused)
                .recoverWithUni(failure -> awaitApplied(conversationId)
                        .chain(caughtUp ->
                                caughtUp ? attempt.get() : Uni.createFrom().failure(failure)));
    }

    private Uni<Boolean> reached(PartitionEnd end, long deadline) {
        return positions.nextOffset(pool, end.partition()).chain(next -> {
            if (next >= end.endOffset()) {
                return Uni.createFrom().item(true);
            }
            if (System.nanoTime() - deadline >= 0) {
                return Uni.createFrom().item(false);
            }
            return Uni.createFrom().voidItem().onItem().delayIt().by(POLL).chain(() -> reached(end, deadline));
        });
    }
}

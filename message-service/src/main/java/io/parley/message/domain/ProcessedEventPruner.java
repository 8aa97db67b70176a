package io.parley.message.domain;

import io.parley.kit.ProcessedEvents;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Forgets the ids of consumed events older than {@code parley.processed-events.retention} (7 days by default), every
 * {@code parley.processed-events.prune-interval} (ten minutes by default), so that {@code processed_event} stays bounded: a row per event consumed within the retention. Rows go
 * {@value #BATCH} per statement, each its own transaction ({@link ProcessedEvents#pruneOlderThan}). The first run
 * waits one interval after start: the redeliveries a restart brings (records after the last committed offset, outbox
 * rows published again) come first and still find their ids. Several instances may prune at once.
 */
@ApplicationScoped
public class ProcessedEventPruner {

    /** Rows deleted per statement: a few milliseconds of work each, however large the backlog. */
    static final int BATCH = 5_000;

    private final Pool pool;
    private final Duration retention;

    /** Prunes {@code pool}'s {@code processed_event} by the retention that {@code config} holds. */
    public ProcessedEventPruner(Pool pool, ProcessedEventsConfig config) {
        this.pool = pool;
        this.retention = config.retention();
    }

    @Scheduled(
            skipExecutionIf = Scheduled.ApplicationNotRunning.class,
            every = "${parley.processed-events.prune-interval}",
            delayed = "${parley.processed-events.prune-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return prune().onFailure()
                .invoke(failure ->
                        Log.warnf("old processed events not pruned, tried again later: %s", failure.toString()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    /**
     * One pruning, now.
     *
     * @return how many ids were forgotten
     */
    public Uni<Long> prune() {
        return ProcessedEvents.pruneOlderThan(pool, retention, BATCH);
    }
}

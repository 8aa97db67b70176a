package io.parley.kit;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Kafka delivers at least once; consumers apply each event once by recording its id in the same transaction as its
 * effect. Each service's schema has the table:
 * {@code processed_event (event_id uuid PRIMARY KEY, processed_at timestamptz NOT NULL DEFAULT now())}, with an index
 * on {@code processed_at} for {@link #pruneOlderThan}.
 *
 * <p>An id only needs to be remembered as long as its event can still be delivered again; each service prunes older
 * rows on a schedule (docs/architecture.md, "Event contract", says why the default of seven days is far beyond
 * that window).
 */
public final class ProcessedEvents {

    private ProcessedEvents() {}

    /** Records {@code eventId}; true the first time, false for a duplicate whose effect is already stored. */
    public static Uni<Boolean> firstTime(SqlClient tx, UUID eventId) {
        return tx.preparedQuery("INSERT INTO processed_event (event_id) VALUES ($1) ON CONFLICT DO NOTHING")
                .execute(Tuple.of(eventId))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Records the ids of a batch of events in one statement; answers those never seen before. */
    public static Uni<Set<UUID>> firstTimes(SqlClient tx, List<UUID> eventIds) {
        return tx.preparedQuery("INSERT INTO processed_event (event_id) SELECT unnest($1::uuid[]) "
                        + "ON CONFLICT DO NOTHING RETURNING event_id")
                .execute(Tuple.of(eventIds.toArray(UUID[]::new)))
                .map(rows -> {
                    Set<UUID> fresh = new HashSet<>();
                    rows.forEach(r -> fresh.add(r.getUUID(0)));
                    return fresh;
                });
    }

    /**
     * Deletes the ids recorded more than {@code retention} ago (by the database's clock, as {@code processed_at} is
     * set), {@code batch} rows per statement, one statement after another until a statement deletes fewer: each
     * statement is a transaction of its own, so a large backlog never holds one long transaction nor many locks. Safe
     * to run from several instances at once (a row deleted twice is deleted once).
     *
     * @param client    a pool (not a transaction: each batch commits on its own)
     * @param retention how long an id is kept; positive
     * @param batch     the most rows one statement deletes; positive
     * @return how many rows were deleted in all
     */
    public static Uni<Long> pruneOlderThan(SqlClient client, Duration retention, int batch) {
        if (retention.isNegative() || retention.isZero() || batch <= 0) {
            throw new IllegalArgumentException("retention and batch must be positive");
        }
        double seconds = retention.toMillis() / 1000.0;
        return Multi.createBy()
                .repeating()
                .uni(() -> client.preparedQuery(PRUNE).execute(Tuple.of(seconds, batch)))
                .whilst(rows -> rows.rowCount() == batch)
                .collect()
                .with(Collectors.summingLong(rows -> rows.rowCount()));
    }

    private static final String PRUNE = "DELETE FROM processed_event WHERE ctid IN (SELECT ctid FROM processed_event "
            + "WHERE processed_at < now() - make_interval(secs => $1) LIMIT $2)";
}

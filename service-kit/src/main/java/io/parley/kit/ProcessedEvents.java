package io.parley.kit;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Kafka delivers at least once; consumers apply each event once by recording its id in the same transaction as its
 * effect. Each service's schema has the table:
 * {@code processed_event (event_id uuid PRIMARY KEY, processed_at timestamptz NOT NULL DEFAULT now())}.
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
}

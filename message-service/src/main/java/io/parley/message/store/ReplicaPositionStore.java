package io.parley.message.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * How far the membership replica has applied each partition of the conversation events: the offset of the next record
 * to apply ({@code replica_position}). It only moves forward.
 */
@ApplicationScoped
public class ReplicaPositionStore {

    /**
     * Records, in {@code tx} (the transaction that applied or skipped the record before it), that every record of
     * {@code partition} below {@code nextOffset} is applied. A lower offset than the stored one changes nothing.
     */
    public Uni<Void> advance(SqlClient tx, int partition, long nextOffset) {
        return tx.preparedQuery("""
                        INSERT INTO replica_position (kafka_partition, next_offset) VALUES ($1, $2)
                        ON CONFLICT (kafka_partition) DO UPDATE
                            SET next_offset = GREATEST(replica_position.next_offset, EXCLUDED.next_offset)""").execute(Tuple.of(partition, nextOffset)).replaceWithVoid();
    }

    /** The offset of the next record of {@code partition} to apply: 0 when none was applied yet. */
    public Uni<Long> nextOffset(SqlClient client, int partition) {
        return client.preparedQuery("SELECT next_offset FROM replica_position WHERE kafka_partition = $1")
                .execute(Tuple.of(partition))
                .map(rows -> rows.size() == 0 ? 0L : rows.iterator().next().getLong(0));
    }
}

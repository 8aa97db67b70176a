package io.parley.kit;

import io.parley.events.Event;
import io.parley.events.EventJson;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * The transactional outbox: an event is written in the same transaction as the change it announces, and
 * {@link OutboxRelay} publishes it to Kafka after the commit. A crash between the commit and the publish loses
 * nothing: the row stays until Kafka has acknowledged it. Each service that publishes this way has the table:
 * <pre>
 * outbox (id bigserial PRIMARY KEY, topic text NOT NULL, record_key text NOT NULL, payload bytea NOT NULL,
 *         created_at timestamptz NOT NULL DEFAULT now())
 * </pre>
 */
public final class Outbox {

    private Outbox() {}

    public static Uni<Void> append(SqlClient tx, String topic, Event event) {
        return tx.preparedQuery("INSERT INTO outbox (topic, record_key, payload) VALUES ($1, $2, $3)")
                .execute(Tuple.of(topic, event.key(), Buffer.buffer(EventJson.write(event))))
                .replaceWithVoid();
    }

    /**
     * Appends {@code event} like {@link #append} and answers the outbox row's id, for a caller that waits for it to be
     * published ({@link OutboxRelay#awaitPublished}).
     */
    public static Uni<Long> appendReturningId(SqlClient tx, String topic, Event event) {
        return tx.preparedQuery("INSERT INTO outbox (topic, record_key, payload) VALUES ($1, $2, $3) RETURNING id")
                .execute(Tuple.of(topic, event.key(), Buffer.buffer(EventJson.write(event))))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    public static Uni<Void> appendAll(SqlClient tx, String topic, List<? extends Event> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = new ArrayList<>(events.size());
        for (Event event : events) {
            rows.add(Tuple.of(topic, event.key(), Buffer.buffer(EventJson.write(event))));
        }
        return tx.preparedQuery("INSERT INTO outbox (topic, record_key, payload) VALUES ($1, $2, $3)")
                .executeBatch(rows)
                .replaceWithVoid();
    }
}

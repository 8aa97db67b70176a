package io.parley.kit;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
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
 *         created_at timestamptz NOT NULL DEFAULT now(), traceparent text)
 * </pre>
 *
 * <p>Each row keeps the trace context current when it is written (the W3C {@code traceparent} of the request's span,
 * null when tracing is off or no span is current), which the relay sends as the Kafka record's {@code traceparent}
 * header: the consumers' spans join the writer's trace although the publish happens later, on another thread.
 */
public final class Outbox {

    private Outbox() {}

    /**
     * Appends {@code event} in the transaction {@code tx}, to be published to {@code topic} under {@link Event#key()},
     * with the current trace context.
     */
    public static Uni<Void> append(SqlClient tx, String topic, Event event) {
        return tx.preparedQuery(INSERT)
                .execute(row(topic, event, traceparent()))
                .replaceWithVoid();
    }

    /**
     * Appends {@code event} like {@link #append} and answers the outbox row's id, for a caller that waits for it to be
     * published ({@link OutboxRelay#awaitPublished}).
     */
    public static Uni<Long> appendReturningId(SqlClient tx, String topic, Event event) {
        return tx.preparedQuery(INSERT + " RETURNING id")
                .execute(row(topic, event, traceparent()))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /** Appends {@code events} like {@link #append}, in one batch, in their order. */
    public static Uni<Void> appendAll(SqlClient tx, String topic, List<? extends Event> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String traceparent = traceparent();
        List<Tuple> rows = new ArrayList<>(events.size());
        for (Event event : events) {
            rows.add(row(topic, event, traceparent));
        }
        return tx.preparedQuery(INSERT).executeBatch(rows).replaceWithVoid();
    }

    private static final String INSERT =
            "INSERT INTO outbox (topic, record_key, payload, traceparent) VALUES ($1, $2, $3, $4)";

    private static Tuple row(String topic, Event event, String traceparent) {
        return Tuple.of(topic, event.key(), Buffer.buffer(EventJson.write(event)), traceparent);
    }

    /**
     * The current span's context as a W3C {@code traceparent} value ({@code 00-<trace id>-<span id>-<flags>}), or
     * null when no valid span is current (tracing off: the SDK disabled gives none). For a statement that inserts
     * into the outbox itself rather than through {@link #append}: it stores this in the row's {@code traceparent}.
     */
    public static String traceparent() {
        SpanContext context = Span.current().getSpanContext();
        if (!context.isValid()) {
            return null;
        }
        return "00-" + context.getTraceId() + "-" + context.getSpanId() + "-"
                + context.getTraceFlags().asHex();
    }
}

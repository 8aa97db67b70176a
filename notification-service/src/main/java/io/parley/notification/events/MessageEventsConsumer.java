package io.parley.notification.events;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.parley.events.Event;
import io.parley.notification.domain.PendingAlerts;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordBatchMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Turns message events into pending alerts: new messages open or join them, reads (and sends) cancel them, edits and
 * deletions revise their preview, once per event.
 */
@ApplicationScoped
public class MessageEventsConsumer {

    private final PendingAlerts alerts;

    public MessageEventsConsumer(PendingAlerts alerts) {
        this.alerts = alerts;
    }

    /**
     * A batch of events from one poll is applied in one transaction with a fixed number of statements, whatever its
     * size (see {@link PendingAlerts#messages}). Each event's trace context goes with it: with tracing on, the
     * messaging connector records a consumer span per record (a child of the record's {@code traceparent} header),
     * whose context the pending alert keeps for the push sent later.
     *
     * @param batch    the poll's events; a record nobody could read arrives as null and is skipped
     * @param metadata the poll's records, with each one's tracing metadata when tracing is on
     * @return completion once the batch is committed
     */
    @Incoming("message-events")
    public Uni<Void> consume(List<Event> batch, IncomingKafkaRecordBatchMetadata<String, Event> metadata) {
        return alerts.messages(batch.stream().filter(Objects::nonNull).toList(), traces(metadata)::get);
    }

    /** Each event's consumer span as a W3C traceparent, by identity (events are records, equal ones may repeat). */
    private static Map<Event, String> traces(IncomingKafkaRecordBatchMetadata<String, Event> metadata) {
        Map<Event, String> traces = new IdentityHashMap<>();
        if (metadata == null) {
            return traces;
        }
        for (ConsumerRecord<String, Event> record : metadata.getRecords()) {
            if (record.value() == null) {
                continue;
            }
            TracingMetadata tracing = metadata.getMetadataForRecord(record, TracingMetadata.class);
            if (tracing == null || tracing.getCurrentContext() == null) {
                continue;
            }
            SpanContext span = Span.fromContext(tracing.getCurrentContext()).getSpanContext();
            if (span.isValid()) {
                traces.put(
                        record.value(),
                        "00-" + span.getTraceId() + "-" + span.getSpanId() + "-"
                                + span.getTraceFlags().asHex());
            }
        }
        return traces;
    }
}

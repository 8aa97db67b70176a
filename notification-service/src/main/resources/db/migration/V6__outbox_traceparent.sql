-- The trace context of the transaction that wrote an outbox row (W3C traceparent, null when tracing is off): the
-- OutboxRelay sets it as the Kafka record's traceparent header, so consumers continue the sender's trace.
ALTER TABLE outbox ADD COLUMN traceparent text;

-- Events waiting to be published to Kafka (service-kit's Outbox and OutboxRelay): mute.changed, written in the
-- transaction that changes a mute, for the conversation-service's views.
CREATE TABLE outbox (
    id         bigserial   PRIMARY KEY,
    topic      text        NOT NULL,
    record_key text        NOT NULL,
    payload    bytea       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

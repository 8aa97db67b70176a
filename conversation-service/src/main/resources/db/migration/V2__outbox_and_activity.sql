-- Events waiting to be published to Kafka (service-kit's Outbox and OutboxRelay).
CREATE TABLE outbox (
    id         bigserial   PRIMARY KEY,
    topic      text        NOT NULL,
    record_key text        NOT NULL,
    payload    bytea       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Latest activity orders the conversation list; until message events feed it, a conversation's creation.
ALTER TABLE conversation ADD COLUMN last_activity_at timestamptz;
UPDATE conversation SET last_activity_at = created_at;
ALTER TABLE conversation ALTER COLUMN last_activity_at SET NOT NULL;
CREATE INDEX conversation_by_activity ON conversation (last_activity_at DESC, id DESC);
CREATE INDEX conversation_support_by_activity ON conversation (last_activity_at DESC, id DESC) WHERE kind = 'support';

-- Consumers apply each Kafka event once: its id is recorded in the transaction that applies it.
CREATE TABLE processed_event (
    event_id     uuid        PRIMARY KEY,
    processed_at timestamptz NOT NULL DEFAULT now()
);

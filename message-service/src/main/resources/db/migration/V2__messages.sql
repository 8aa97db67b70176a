-- Messages, numbered 1, 2, 3... per conversation. last_seq is the conversation's counter: a send takes the row's
-- lock to increment it, so concurrent sends to one conversation get consecutive numbers, and a send that rolls
-- back gives its number back.
ALTER TABLE conversation_replica ADD COLUMN last_seq bigint NOT NULL DEFAULT 0;

CREATE TABLE message (
    id                uuid        PRIMARY KEY,
    conversation_id   uuid        NOT NULL REFERENCES conversation_replica (id),
    seq               bigint      NOT NULL,
    client_message_id uuid        NOT NULL,
    sender_id         text        NOT NULL,
    sender_role       text        NOT NULL,
    sender_name       text,
    type              text        NOT NULL CHECK (type IN ('text', 'file', 'system')),
    content           text,
    attachments       jsonb       NOT NULL DEFAULT '[]',
    created_at        timestamptz NOT NULL,
    edited_at         timestamptz,
    deleted_at        timestamptz,
    UNIQUE (conversation_id, seq),
    -- a retried send finds the message it stored the first time
    UNIQUE (sender_id, client_message_id)
);

-- Events waiting to be published to Kafka (service-kit's Outbox and OutboxRelay).
CREATE TABLE outbox (
    id         bigserial   PRIMARY KEY,
    topic      text        NOT NULL,
    record_key text        NOT NULL,
    payload    bytea       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Alerts waiting for their grace delay: one row per recipient and conversation, collapsing every unread message.
CREATE TABLE pending_alert (
    user_id          text        NOT NULL,
    conversation_id  uuid        NOT NULL,
    first_seq        bigint      NOT NULL,
    last_seq         bigint      NOT NULL,
    message_count    integer     NOT NULL,
    last_sender_name text,
    due_at           timestamptz NOT NULL,
    PRIMARY KEY (user_id, conversation_id)
);

CREATE INDEX pending_alert_by_due ON pending_alert (due_at);

-- Consumers apply each Kafka event once: its id is recorded in the transaction that applies it.
CREATE TABLE processed_event (
    event_id     uuid        PRIMARY KEY,
    processed_at timestamptz NOT NULL DEFAULT now()
);

-- The message-service's own replica of membership, kept from conversation events: sends and reads are
-- authorized here, without calling the conversation-service.
CREATE TABLE conversation_replica (
    id   uuid PRIMARY KEY,
    kind text NOT NULL
);

CREATE TABLE conversation_member (
    conversation_id uuid NOT NULL REFERENCES conversation_replica (id) ON DELETE CASCADE,
    user_id         text NOT NULL,
    PRIMARY KEY (conversation_id, user_id)
);

-- Consumers apply each Kafka event once: its id is recorded in the transaction that applies it.
CREATE TABLE processed_event (
    event_id     uuid        PRIMARY KEY,
    processed_at timestamptz NOT NULL DEFAULT now()
);

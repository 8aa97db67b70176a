-- How far each reader has read each conversation: every message up to seq. It only moves forward; a send moves
-- its sender's position to the new message.
CREATE TABLE read_position (
    conversation_id uuid        NOT NULL REFERENCES conversation_replica (id) ON DELETE CASCADE,
    user_id         text        NOT NULL,
    seq             bigint      NOT NULL CHECK (seq >= 0),
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (conversation_id, user_id)
);

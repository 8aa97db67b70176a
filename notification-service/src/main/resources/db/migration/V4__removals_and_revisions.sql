-- Participants removed from a conversation (from participant.removed): no alert for them there. Message events are
-- published by the message-service from its own replica of membership, which applies a removal a little after the
-- conversation-service acknowledged it, so a message event may still name a removed user; it is ignored for them.
-- `confirmed` turns true once a message event of the conversation came without the user (the message-service had
-- applied the removal): an event that names them again after that means they were added back. participant.added
-- deletes the row.
CREATE TABLE participant_removal (
    conversation_id uuid        NOT NULL,
    user_id         text        NOT NULL,
    removed_at      timestamptz NOT NULL,
    confirmed       boolean     NOT NULL DEFAULT false,
    PRIMARY KEY (conversation_id, user_id)
);

-- Deliveries know the message they preview, so that an edit or a deletion of it reaches one not sent yet, and they
-- are found by conversation when a participant is removed.
ALTER TABLE push_delivery ADD COLUMN last_seq bigint;
CREATE INDEX push_delivery_by_conversation ON push_delivery (conversation_id);

-- Totals come from several partitions of parley.inbox-events (keyed by conversation): an older total consumed after a
-- newer one changes nothing.
ALTER TABLE user_unread ADD COLUMN changed_at timestamptz;

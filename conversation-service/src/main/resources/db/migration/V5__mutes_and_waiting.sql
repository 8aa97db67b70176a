-- What the conversation views need besides the inbox.

-- Each user's mute of a conversation, kept from the notification-service's mute.changed events (it owns the setting):
-- muted in a view when muted and (until is null or until > now()). An unmute keeps the row with muted false, so that
-- a change older than the one applied (changed_at) is never applied after it.
CREATE TABLE conversation_mute (
    user_id         text        NOT NULL,
    conversation_id uuid        NOT NULL,
    muted           boolean     NOT NULL,
    until           timestamptz,
    changed_at      timestamptz NOT NULL,
    PRIMARY KEY (user_id, conversation_id)
);

-- Support conversations: since when the client has been waiting for a reply (the createdAt of the first message not
-- from an admin after the last admin message); null when no reply is awaited. Conversations awaiting a reply before
-- this column existed wait since their last message (the first one of the wait is not known here).
ALTER TABLE conversation ADD COLUMN awaiting_since timestamptz;
UPDATE conversation SET awaiting_since = last_activity_at WHERE kind = 'support' AND awaiting_reply;

-- The support desk's unanswered filter lists the oldest wait first, paged by (awaiting_since, id).
CREATE INDEX support_awaiting_by_wait ON conversation (awaiting_since, id) WHERE kind = 'support' AND awaiting_reply;

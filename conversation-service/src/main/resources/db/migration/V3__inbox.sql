-- The inbox read model, kept from message events: each conversation's last message and place in the list, and each
-- reader's position.

-- A conversation's place in the list: a number taken from this sequence when it is created and at each new message,
-- so the latest activity has the highest number and no two conversations share one.
CREATE SEQUENCE activity_rank;

ALTER TABLE conversation
    ADD COLUMN activity       bigint,
    ADD COLUMN last_seq       bigint  NOT NULL DEFAULT 0,
    ADD COLUMN last_message   jsonb,
    -- support conversations: the last message is not from an admin
    ADD COLUMN awaiting_reply boolean NOT NULL DEFAULT false,
    -- support conversations: the admin who sent the last admin message
    ADD COLUMN answered_by    text;
UPDATE conversation SET activity = ranked.rank
FROM (SELECT id, nextval('activity_rank') AS rank FROM (SELECT id FROM conversation ORDER BY last_activity_at, id) o) ranked
WHERE conversation.id = ranked.id;
ALTER TABLE conversation ALTER COLUMN activity SET DEFAULT nextval('activity_rank');
ALTER TABLE conversation ALTER COLUMN activity SET NOT NULL;

DROP INDEX conversation_by_activity;
DROP INDEX conversation_support_by_activity;
CREATE UNIQUE INDEX conversation_by_rank ON conversation (activity DESC);
CREATE INDEX support_by_rank ON conversation (activity DESC) WHERE kind = 'support';
CREATE INDEX support_awaiting_by_rank ON conversation (activity DESC) WHERE kind = 'support' AND awaiting_reply;

-- How far each reader has read: every message up to read_seq.
CREATE TABLE read_state (
    conversation_id uuid   NOT NULL REFERENCES conversation (id) ON DELETE CASCADE,
    user_id         text   NOT NULL,
    read_seq        bigint NOT NULL,
    PRIMARY KEY (user_id, conversation_id)
);

-- Every change of a conversation's place in the list, kept for a while (parley.inbox.moves-kept), by the
-- transaction that made it: a reader paging through the list sees it as it was when the first page was read,
-- so that no conversation is skipped or repeated while messages arrive. old_activity is null for a new conversation.
CREATE TABLE activity_move (
    conversation_id uuid        NOT NULL,
    old_activity    bigint,
    new_activity    bigint      NOT NULL,
    xid             xid8        NOT NULL DEFAULT pg_current_xact_id(),
    at              timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX activity_move_by_xid ON activity_move (xid);
CREATE INDEX activity_move_by_time ON activity_move (at);

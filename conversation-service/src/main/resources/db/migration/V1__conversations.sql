-- Conversations and their participants. The conversation-service owns this schema.
CREATE TABLE conversation (
    id            uuid        PRIMARY KEY,
    kind          text        NOT NULL CHECK (kind IN ('support', 'direct', 'group')),
    title         text,
    created_by    text        NOT NULL,
    created_at    timestamptz NOT NULL,
    -- "userA|userB" with the two ids sorted: a direct conversation between two users exists once.
    direct_key    text        UNIQUE,
    -- The client or expert a support conversation belongs to: exactly one each.
    support_owner text        UNIQUE
);

CREATE TABLE participant (
    conversation_id uuid        NOT NULL REFERENCES conversation (id) ON DELETE CASCADE,
    user_id         text        NOT NULL,
    joined_at       timestamptz NOT NULL,
    PRIMARY KEY (conversation_id, user_id)
);

CREATE INDEX participant_by_user ON participant (user_id, conversation_id);

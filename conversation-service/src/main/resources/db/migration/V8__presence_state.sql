-- Who is online now, as the presence events say (each user's latest change): a user who comes online is told which
-- of the users they share a conversation with (an admin: which clients and experts with a support conversation) are
-- online already, instead of learning it only at their next change.
CREATE TABLE presence_state (
    user_id    text        PRIMARY KEY,
    role       text        NOT NULL,
    online     boolean     NOT NULL,
    changed_at timestamptz NOT NULL
);
CREATE INDEX presence_state_online ON presence_state (user_id) WHERE online;

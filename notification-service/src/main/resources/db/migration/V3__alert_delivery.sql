-- What decides an alert, kept from events: who is online (the gateways' presence), each user's total unread (the
-- conversation-service's counts, for the badge), and the conversations a user muted.
CREATE TABLE user_presence (
    user_id    text        PRIMARY KEY,
    online     boolean     NOT NULL,
    changed_at timestamptz NOT NULL
);

CREATE TABLE user_unread (
    user_id text   PRIMARY KEY,
    total   bigint NOT NULL
);

CREATE TABLE conversation_mute (
    user_id         text        NOT NULL,
    conversation_id uuid        NOT NULL,
    -- null: until unmuted
    until           timestamptz,
    PRIMARY KEY (user_id, conversation_id)
);

-- The preview of the latest unread message, for alerts that show it.
ALTER TABLE pending_alert ADD COLUMN last_preview text;

-- Alerts on their way to one device each: a due pending alert becomes one delivery per subscription of its user, in
-- the transaction that removes it, so an alert is made once. A delivery is leased while it is sent, retried with
-- backoff, and deleted once the push service took it or refused it for good.
CREATE TABLE push_delivery (
    id              bigserial   PRIMARY KEY,
    subscription_id uuid        NOT NULL REFERENCES push_subscription (id) ON DELETE CASCADE,
    conversation_id uuid        NOT NULL,
    payload         text        NOT NULL,
    attempts        integer     NOT NULL DEFAULT 0,
    next_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX push_delivery_by_next ON push_delivery (next_at);

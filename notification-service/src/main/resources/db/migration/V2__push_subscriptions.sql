-- The devices a user receives alerts on. The address is the Web Push endpoint URL or the FCM / APNs device token;
-- one address belongs to one subscription.
CREATE TABLE push_subscription (
    id         uuid        PRIMARY KEY,
    user_id    text        NOT NULL,
    kind       text        NOT NULL CHECK (kind IN ('webpush', 'fcm', 'apns')),
    address    text        NOT NULL,
    p256dh     text,
    auth       text,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (kind, address)
);

CREATE INDEX push_subscription_by_user ON push_subscription (user_id);

-- Open WebSocket connections of every gateway instance: a user is online while one of them is.
CREATE TABLE presence_connection (
    connection_id text        PRIMARY KEY,
    user_id       text        NOT NULL,
    instance_id   text        NOT NULL,
    opened_at     timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX presence_connection_by_user ON presence_connection (user_id);
CREATE INDEX presence_connection_by_instance ON presence_connection (instance_id);

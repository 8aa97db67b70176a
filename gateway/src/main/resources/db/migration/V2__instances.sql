-- Gateway instances and their last heartbeat: the connections of an instance that stopped beating are removed by
-- the others, and their users go offline.
CREATE TABLE gateway_instance (
    id           text        PRIMARY KEY,
    heartbeat_at timestamptz NOT NULL
);

-- How far the membership replica has applied each partition of parley.conversation-events: the offset of the next
-- record to apply. The consumer writes it in the transaction that applies (or skips) each record, so it never says
-- more than is stored; POST /internal/replica/sync waits until it reaches the partition's end offset.
CREATE TABLE replica_position (
    kafka_partition int    PRIMARY KEY,
    next_offset     bigint NOT NULL CHECK (next_offset >= 0)
);

-- A removed participant's read position goes with them (one who is added again starts where the conversation is).
DELETE FROM read_position r
WHERE NOT EXISTS (SELECT 1 FROM conversation_member m
                  WHERE m.conversation_id = r.conversation_id AND m.user_id = r.user_id);

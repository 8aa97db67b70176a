-- A direct conversation was found by its two user ids joined with '|', a string that two different pairs can make
-- ('x|y' with 'z', and 'x' with 'y|z'). It is now found by the pair itself: the lower and the higher of the two ids in
-- code point order (COLLATE "C", which compares the UTF-8 bytes), unique among direct conversations.
ALTER TABLE conversation
    ADD COLUMN direct_low  text COLLATE "C",
    ADD COLUMN direct_high text COLLATE "C";

-- The pair of each existing direct conversation comes from its participants, not from the ambiguous key: that is who
-- is in it, whichever pair asked for it.
UPDATE conversation c
SET direct_low = pair.low, direct_high = pair.high
FROM (SELECT conversation_id, min(user_id COLLATE "C") AS low, max(user_id COLLATE "C") AS high
      FROM participant GROUP BY conversation_id) pair
WHERE c.id = pair.conversation_id AND c.kind = 'direct';

CREATE UNIQUE INDEX conversation_direct_pair ON conversation (direct_low, direct_high) WHERE kind = 'direct';

ALTER TABLE conversation DROP COLUMN direct_key;

-- The display name of each user's token when they last came online (the token's name claim, from the presence
-- events): the conversation views name their participants with it. Kept when a later change carries none.
ALTER TABLE presence_state ADD COLUMN name text;

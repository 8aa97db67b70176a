-- The role of each connection's token at its open: the offline a dead instance's sweep publishes for its users
-- carries it, as every other presence change does (null for the rows of connections opened before this column).
ALTER TABLE presence_connection ADD COLUMN role text;

-- An offline change may carry no role (a dead gateway's sweep of connections recorded before gateways kept roles):
-- the role recorded is then kept.
ALTER TABLE presence_state ALTER COLUMN role DROP NOT NULL;

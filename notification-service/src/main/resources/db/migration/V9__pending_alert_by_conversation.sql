-- Every batch of message events drops the pending alerts of anyone its conversations no longer name (keepOnly), and
-- an edit or a deletion revises the alert previewing it (revise): both find the rows by conversation. The primary key
-- leads with the user, so without this index each of them read the whole table, once per batch: a cost per message
-- that grew with the number of alerts pending (docs/benchmarks.md, "Per stage").
CREATE INDEX pending_alert_by_conversation ON pending_alert (conversation_id, last_seq);

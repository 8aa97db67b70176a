-- The trace of the message an alert is about (W3C traceparent of the consumer span that stored it, null when tracing
-- is off): a pending alert keeps its latest message's, each delivery made from it inherits it, and the dispatcher's
-- push span for the delivery is a child of it, so the push belongs to the message's trace.
ALTER TABLE pending_alert ADD COLUMN traceparent text;
ALTER TABLE push_delivery ADD COLUMN traceparent text;

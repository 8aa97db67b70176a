-- A subscription that goes (its device is gone, or its user unsubscribed) takes its deliveries with it (ON DELETE
-- CASCADE): without an index on the reference, each such delete read the whole of push_delivery, which grows while a
-- push service fails and deliveries wait for their retry.
CREATE INDEX push_delivery_by_subscription ON push_delivery (subscription_id);

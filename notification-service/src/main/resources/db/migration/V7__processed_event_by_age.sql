-- processed_event is pruned by age (ProcessedEventPruner, parley.processed-events.retention): the pruning statements
-- find the oldest rows through this index instead of scanning the whole table.
CREATE INDEX processed_event_by_age ON processed_event (processed_at);

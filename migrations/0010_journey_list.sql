-- The journeys list counts each journey's enrollments of the last seven days in one grouped
-- query; this index answers it from (journey, entered_at) instead of every enrollment.
create index enrollments_entered_idx on enrollments (workspace_id, journey_id, entered_at);

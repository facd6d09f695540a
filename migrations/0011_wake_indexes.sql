-- Fewer index writes per enrollment change. Every update of an enrollment that moves it (a wake,
-- a step) changes its status, node or wait, all indexed, so it is never a HOT update and writes
-- one entry into every index whose predicate the new row meets: with a million waits coming due
-- at 10,000/s these writes were the busiest work in the database.
--
-- (workspace_id, journey_id, journey_version, status): the journey-wide statements (stats by
-- status, archive, move to a new version) read every enrollment of the journey either way, and
-- find them by (workspace_id, journey_id) in enrollments_entered_idx.
drop index if exists enrollments_journey_idx;
-- (workspace_id, profile_id) where running: a subset of enrollments_profile_idx, which finds a
-- profile's enrollments (a handful) just as well; the running filter is applied to those rows.
drop index if exists enrollments_running_idx;

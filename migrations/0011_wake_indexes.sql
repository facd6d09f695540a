-- Fewer index writes per enrollment change. Every update of an enrollment that moves it (a wake,
-- a step) changes its status, node or wait, all indexed, so it is never a HOT update and writes
-- one entry into every index whose predicate the new row meets: with a million waits coming due
-- at 10,000/s these writes were the busiest work in the database.
--
-- (workspace_id, journey_id, journey_version, status): an entry for every enrollment ever made,
-- written again at every move. What used it: the stats by status read every enrollment of the
-- journey anyway (found by (workspace_id, journey_id) in enrollments_entered_idx); archive and
-- move-to-a-new-version want the running ones, which the node index below now answers: it
-- covers `status in ('active', 'waiting')` (what those statements ask for) rather than only
-- 'waiting' — the same rows, since an enrollment is never committed 'active'.
drop index if exists enrollments_journey_idx;
create index enrollments_running_node_idx
  on enrollments (workspace_id, journey_id, current_node) where status in ('active', 'waiting');
drop index if exists enrollments_waiting_node_idx;
-- (workspace_id, profile_id) where running: a subset of enrollments_profile_idx, which finds a
-- profile's enrollments (a handful) just as well; the running filter is applied to those rows.
drop index if exists enrollments_running_idx;

-- A wake finishes the step its enrollment waited at (port, reason, left_at): with `port` out of
-- every index of the step log, and room left on each page, that update is a HOT one (no index
-- entries at all) instead of a new entry in both indexes. The per-node counts of the stats page
-- find a journey's steps by (workspace_id, journey_id, node_id) and read the port from the row.
create index enrollment_steps_node_idx on enrollment_steps (workspace_id, journey_id, node_id);
drop index if exists enrollment_steps_journey_idx;
-- New pages keep a fifth free: about one row in three (the wait steps) is updated once, later.
alter table enrollment_steps set (fillfactor = 80);

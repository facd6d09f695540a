-- A wake's update of its enrollment as a HOT update. A wake changes the enrollment's status, node
-- and wait; while any of them is indexed on the enrollment row (a key column or an index's
-- predicate), the update writes a new entry into every index of the table (four, on the biggest
-- table of the runtime), and it was the busiest statement of a million wakes coming due.
--
-- What the indexes on those columns answered moves to a narrow table with one row per running
-- enrollment (status 'active' or 'waiting'), written by the statements that insert, update and
-- end enrollments (packages/runtime/src/store.ts, packages/db/src/repos/enrollments.ts):
-- - the running enrollments of a journey (archive, move to a new version, resume after a pause):
--   the primary key's prefix (workspace_id, journey_id), then the enrollment by its own key;
-- - waits past due (the overdue re-queue): `wake_at`, which is the enrollment's `wake_at` while it
--   waits and is not held, null otherwise.
-- An enrollment that ends deletes its row (no index entry written); one that moves to another
-- wait changes `wake_at` here (two entries, on a table of four columns) and nothing indexed on
-- the enrollment.
create table enrollment_runs (
  workspace_id uuid not null,
  journey_id uuid not null,
  enrollment_id uuid not null,
  wake_at timestamptz,
  primary key (workspace_id, journey_id, enrollment_id)
);
create index enrollment_runs_wake_idx on enrollment_runs (wake_at) where wake_at is not null;

insert into enrollment_runs (workspace_id, journey_id, enrollment_id, wake_at)
select workspace_id, journey_id, id, case when status = 'waiting' and not held then wake_at end
  from enrollments where status in ('active', 'waiting');

drop index if exists enrollments_running_node_idx;
drop index if exists enrollments_wake_idx;

-- A HOT update needs room on the row's page for the new version. Enrollments that enter
-- together come due together, so a wake transaction updates most rows of a page at once: new
-- pages are half filled. (Every enrollment is updated at least once, when it ends, so a page's
-- space is used either way; without room the new version goes to another page, with an entry
-- in every index.)
alter table enrollments set (fillfactor = 50);

-- An enrollment deleted (its profile, its workspace) takes its running row with it.
create function touchline_enrollment_runs_deleted() returns trigger language plpgsql as $$
begin
  delete from enrollment_runs r using gone g
   where r.workspace_id = g.workspace_id and r.journey_id = g.journey_id and r.enrollment_id = g.id;
  return null;
end $$;
create trigger enrollments_deleted_runs after delete on enrollments
  referencing old table as gone for each statement execute function touchline_enrollment_runs_deleted();

-- The journey runtime: enrollment state, the step log, the event inbox and far-future timers.

-- Running enrollments are what events and timers look up; ended ones are history.
alter table enrollments
  -- Re-entry, enforced by the unique index below rather than by a read-then-write race:
  -- 'once' (never re-enter) is never released; 'running' (after exit) is released when the
  -- enrollment ends; 'cooldown' is released by the next entry once the cooldown has passed.
  add column entry_slot text,
  -- What enrolled the profile ('event:<messageId>', 'schedule:<occurrence>', 'api:<key>'): the
  -- same trigger can never enroll the same profile twice, whatever the re-entry policy.
  add column entry_key text not null default gen_random_uuid()::text,
  -- Visits per node so far: a step is keyed by (enrollment, node, visit).
  add column visits jsonb not null default '{}',
  add column current_visit integer,
  -- The wait the enrollment is in (timer or event, with its correlation value) and when it ends.
  add column wait jsonb,
  add column wake_at timestamptz,
  -- A timer that fired while the journey was paused: run when it resumes.
  add column held boolean not null default false,
  add column converted_at timestamptz;

create unique index enrollments_entry_slot_idx
  on enrollments (workspace_id, journey_id, profile_id, entry_slot) where entry_slot is not null;
create unique index enrollments_entry_key_idx
  on enrollments (workspace_id, journey_id, profile_id, entry_key);
create index enrollments_running_idx
  on enrollments (workspace_id, profile_id) where status in ('active', 'waiting');
create index enrollments_waiting_node_idx
  on enrollments (workspace_id, journey_id, current_node) where status = 'waiting';
drop index enrollments_journey_idx;
create index enrollments_journey_idx on enrollments (workspace_id, journey_id, journey_version, status);

-- The step log: one row per node visit. A row with no port is where the enrollment waits.
create table enrollment_steps (
  workspace_id uuid not null,
  enrollment_id uuid not null,
  node_id text not null,
  visit integer not null,
  journey_id uuid not null,
  journey_version integer not null,
  profile_id uuid not null,
  type text not null,
  port text,
  -- The rule that decided (a condition's or split's), and why in words.
  rule text,
  reason text,
  -- The values the deciding rules read, and the event that moved the enrollment.
  facts jsonb,
  entered_at timestamptz not null,
  left_at timestamptz,
  primary key (workspace_id, enrollment_id, node_id, visit)
);
create index enrollment_steps_journey_idx on enrollment_steps (workspace_id, journey_id, node_id, port);

-- Events that may concern a live journey, written in the same statement as the event itself, so
-- an acknowledged event reaches the runtime even if the process dies right after the commit.
create table journey_inbox (
  id bigint generated always as identity primary key,
  workspace_id uuid not null,
  event_id bigint not null,
  profile_id uuid not null,
  created_at timestamptz not null default now(),
  attempts integer not null default 0,
  last_error text
);
create index journey_inbox_created_idx on journey_inbox (created_at) where attempts < 5;

-- Waits due later than the scheduling horizon: kept here and handed to graphile-worker shortly
-- before they are due, so the worker's queue holds only what is due soon.
create table journey_timers (
  workspace_id uuid not null,
  enrollment_id uuid not null,
  node_id text not null,
  visit integer not null,
  wake_at timestamptz not null,
  primary key (workspace_id, enrollment_id, node_id, visit)
);
create index journey_timers_wake_idx on journey_timers (wake_at);

-- Every process keeps an index of live journeys: tell them when one changes.
create function touchline_journeys_changed() returns trigger language plpgsql as $$
begin
  perform pg_notify('touchline_journeys', new.workspace_id::text);
  return null;
end $$;
create trigger journeys_changed after insert or update of status, live_version on journeys
  for each row execute function touchline_journeys_changed();

-- Waits past due with no job to run them (a worker killed while it held the job: graphile-worker
-- unlocks such jobs only after 4 hours): found here and queued again.
create index enrollments_wake_idx on enrollments (wake_at) where status = 'waiting' and not held;
-- Likewise for messages whose delivery job died with its worker.
create index messages_queued_idx on messages (created_at) where status = 'queued';

-- Optimistic concurrency for drafts: every draft save bumps the revision, and a save that names
-- the revision it was based on only lands while that is still the current one (checked in the
-- UPDATE itself, so two saves racing cannot both win).
alter table journeys add column draft_revision integer not null default 1;

-- No foreign keys on the rows written for every event and enrollment.
--
-- A foreign key check runs a query per inserted row and locks the referenced row FOR KEY SHARE.
-- On these tables the referenced rows are the hottest in the database: the one workspace row
-- (every event), and the profile that ingestion updates in the same instant (every enrollment
-- and outbox row). A profile updated by one transaction while another holds its key-share lock
-- needs a MultiXact, and the lock itself is a WAL record and a dirtied page. A check cost
-- 4.5 µs a row against 0.7 µs for the bare insert; with `pnpm bench runtime`, 6–8 % less CPU
-- per event in one pair of runs (docs/performance.md, seventh session).
--
-- What the keys guarded is guaranteed where the rows are written: ingestion resolves the
-- workspace from its key and the profile in the same statement; the runtime enrolls only
-- profiles it has just read, into versions it has loaded, and writes outbox rows for its own
-- enrollments. What the cascades did: profiles are never deleted with history (a merged profile
-- stays as a tombstone and its rows move to the survivor; only new anonymous profiles with
-- nothing written yet are dropped), journeys are deleted only when never published, and
-- workspaces are not deleted by Touchline.
alter table events drop constraint events_workspace_id_fkey;
alter table enrollments drop constraint enrollments_workspace_id_journey_id_journey_version_fkey;
alter table enrollments drop constraint enrollments_workspace_id_profile_id_fkey;
alter table messages drop constraint messages_workspace_id_profile_id_fkey;

-- One index fewer on every enrollment written. A profile's enrollments were found through
-- (workspace_id, profile_id), and an entry's uniqueness checked through (workspace_id,
-- journey_id, profile_id, entry_key): with the profile ahead of the journey, the one unique index
-- answers both — a profile's enrollments (the profile page, the cascade from a deleted profile)
-- by its first two columns, the runtime's read of a profile's enrollments in some journeys by
-- its first three. Every enrollment inserted, and every update that moves one (never a HOT
-- update: its status, node or wait changes), wrote an entry into each of the two.
create unique index enrollments_profile_entry_idx
  on enrollments (workspace_id, profile_id, journey_id, entry_key);
drop index enrollments_entry_key_idx;
drop index enrollments_profile_idx;

-- Indexes every enrolling event wrote and no query reads.

-- Running enrollments of a profile: the runtime reads them together with slot holders and
-- convertible ones (an OR this partial index cannot answer), by journey and profile through
-- enrollments_entry_key_idx; anything else by profile has enrollments_profile_idx. It was one more
-- entry per enrollment written, and one more on every status change.
drop index if exists enrollments_running_idx;

-- Inbox rows left behind are found in id order (the primary key), which is also their age
-- order; the inbox holds only what is not yet decided, so the filter on created_at is cheap.
drop index if exists journey_inbox_created_idx;

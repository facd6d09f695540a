-- The step log in the order the steps were taken. The steps of one transaction share one
-- instant (trigger, condition and exit all at `now`), so time alone cannot order a path; a
-- step keeps the position of its first write when it is updated (a wait left later).
alter table enrollment_steps add column seq bigint generated always as identity;

-- The runtime's write statement fails itself when a new enrollment lost its re-entry slot or its
-- trigger to a concurrent transaction (`on conflict do nothing` inserted fewer rows than it was
-- given): the statement is followed by `commit` in the same round trip, so the check cannot be
-- a second statement in between. The error rolls the transaction back and the runtime runs it
-- again, reading the conflicting history.
create function touchline_check_entries(expected int, inserted int) returns int
  language plpgsql volatile as $$
begin
  if inserted <> expected then
    raise exception 'entry conflict: % of % new enrollments inserted', inserted, expected
      using errcode = 'TL409';
  end if;
  return inserted;
end
$$;

-- The same for enrollments read without a lock (the wake sweep's): a row changed by another
-- transaction since it was read is not updated, and the write fails (TL412) to run again.
create function touchline_check_updates(expected int, updated int) returns int
  language plpgsql volatile as $$
begin
  if updated <> expected then
    raise exception 'stale write: % of % changed enrollments were still as read', updated, expected
      using errcode = 'TL412';
  end if;
  return updated;
end
$$;

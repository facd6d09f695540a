-- The runtime's write statement fails itself when a row did not go as decided: `commit` follows
-- it in the same round trip, so the check cannot be a second statement in between. A new
-- enrollment that lost its re-entry slot or its trigger to a concurrent transaction (`on
-- conflict do nothing` inserted fewer rows than it was given) fails it with TL409; a changed
-- enrollment read without a lock and changed by another transaction since (the update matched
-- fewer rows) with TL412. The error rolls the transaction back and the runtime runs it again.
create function touchline_expect_rows(expected int, actual int, code text, what text) returns int
  language plpgsql volatile as $$
begin
  if actual <> expected then
    raise exception '%: % of % rows', what, actual, expected using errcode = code;
  end if;
  return actual;
end
$$;

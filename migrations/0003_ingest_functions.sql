-- Helpers for ingestion's one-statement group write.

-- Shallow-merges jsonb objects in the aggregate's order: the last identify's value of a trait wins.
create aggregate touchline_jsonb_merge(jsonb) (sfunc = jsonb_concat, stype = jsonb);

-- Aborts the statement that calls it (and so its transaction) when a profile it meant to update
-- was merged away meanwhile; 40001 tells the writer to retry, as for a serialisation failure.
create function touchline_assert_profiles_updated(updated bigint, expected bigint) returns boolean
language plpgsql as $$
begin
  if updated <> expected then
    raise exception 'ingestion: % of % profiles were merged meanwhile', expected - updated, expected
      using errcode = '40001';
  end if;
  return true;
end
$$;

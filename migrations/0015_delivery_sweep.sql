-- Deliveries found from the outbox by due time (the delivery sweep, apps/worker/src/delivery/sweep.ts)
-- instead of one graphile-worker job per message.

-- When a queued message is due to be handed to its adapter: set by the runtime when it writes the
-- row (now, or the end of quiet hours), moved by a retry's backoff, and cleared when the message
-- leaves `queued` or is handed to a `message_deliver` job (rate-limited channels, adapters that
-- claim before sending, webhooks, test sends). A queued message with a due time has no job; one
-- without has one (or is found by the overdue re-queue).
alter table messages add column due_at timestamptz;

-- The sweep's range scan, and the overdue re-queue's (`due_at is null`, then `created_at`):
-- replaces messages_queued_idx, so an outbox row still writes six index entries.
create index messages_due_idx on messages (due_at) where status = 'queued';
drop index if exists messages_queued_idx;

-- Message ids ordered by creation time (UUID version 7: 48 bits of Unix milliseconds, then random
-- bits) instead of random: the primary key and messages_id_idx then grow at their right edge, as
-- the created_at indexes do, instead of every outbox row dirtying (and, after a checkpoint,
-- logging in full) a random page of each. Still unique across workspaces, which tracking tokens
-- rely on; tokens are signed, so nothing depends on an id being unguessable.
do $$
begin
  if current_setting('server_version_num')::int >= 180000 then
    execute 'create function touchline_uuid7() returns uuid language sql volatile parallel safe
             as $f$ select uuidv7() $f$';
  else
    -- The version nibble of a v4 UUID is 0100; setting bits 52 and 53 makes it 0111 (7).
    execute 'create function touchline_uuid7() returns uuid language sql volatile parallel safe
             as $f$ select encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
                     placing substring(int8send((extract(epoch from clock_timestamp()) * 1000)::bigint) from 3)
                     from 1 for 6), 52, 1), 53, 1), ''hex'')::uuid $f$';
  end if;
end $$;
alter table messages alter column id set default touchline_uuid7();

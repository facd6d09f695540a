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

-- Delivering messages through channel adapters (SMTP, sandbox), exactly once per outbox row.

-- 'sending': claimed by a delivery attempt that is handing the message to its adapter. A crash
-- between the hand-off and marking it sent leaves it here, and a retry finding it here does not
-- send again (at most once; see docs/messages.md).
alter table messages drop constraint messages_status_check;
alter table messages add constraint messages_status_check
  check (status in ('queued', 'sending', 'sent', 'delivered', 'opened', 'clicked', 'failed', 'suppressed'));

alter table messages
  -- The adapter that delivered (or tried to deliver) it, and the provider's id for it.
  add column adapter text,
  add column provider_id text,
  -- Delivery attempts that reached the adapter; retryable failures stop at a cap.
  add column delivery_attempts integer not null default 0,
  add column claimed_at timestamptz;

-- Messages stuck in 'sending' (a worker died mid-send) are found for inspection.
create index messages_sending_idx on messages (claimed_at) where status = 'sending';

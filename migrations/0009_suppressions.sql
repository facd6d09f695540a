-- The suppression list, delivery status webhooks, per-channel send budgets and delivery pacing.

-- An address in the form the suppression list keys it by: an email lower-cased and trimmed; a
-- phone E.164-ish (digits only, a leading + kept, a leading 00 read as +). The API normalises
-- with the same rules (packages/db/src/repos/suppressions.ts), and the runtime's profile load
-- looks profiles' addresses up through this function.
create function touchline_address(channel text, address text) returns text
  language sql immutable parallel safe as $$
    select case
      when address is null or btrim(address) = '' then null
      when channel = 'email' then lower(btrim(address))
      when channel in ('sms', 'whatsapp') then
        case when btrim(address) like '+%' or btrim(address) like '00%' then '+' else '' end ||
        regexp_replace(case when btrim(address) like '00%' then substr(btrim(address), 3) else address end,
                       '[^0-9]', '', 'g')
      else btrim(address)
    end
  $$;

-- Addresses no message goes to: hard bounces and complaints reported by delivery status
-- webhooks, and addresses added by hand. One row per workspace, channel and address.
create table suppressions (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  channel text not null check (channel in ('email', 'sms', 'whatsapp')),
  address text not null,
  reason text not null check (reason in ('bounced', 'complained', 'manual', 'unsubscribed')),
  -- The message whose bounce or complaint put the address here.
  source_message_id uuid,
  detail text,
  created_at timestamptz not null default now(),
  primary key (workspace_id, channel, address),
  unique (id)
);
create index suppressions_page_idx on suppressions (workspace_id, created_at desc, id desc);

-- The secret providers (or a relay in front of them) sign delivery status webhooks with. The
-- previous secret keeps verifying after a rotation, so events in flight are not refused. Stored
-- in clear: verifying an HMAC needs the secret itself.
create table delivery_status_secrets (
  workspace_id uuid primary key references workspaces (id) on delete cascade,
  secret text not null,
  previous_secret text,
  rotated_at timestamptz not null default now()
);

-- Status webhooks name a message by the provider's id (SMTP: the Message-ID) as often as by ours.
create index messages_provider_idx on messages (workspace_id, provider_id) where provider_id is not null;

-- Marketing sends per workspace, channel and UTC day, against `settings.messaging.budget`: the
-- guard increments the row in the runtime's transaction, so a rollback gives the send back.
create table channel_budget_usage (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  channel text not null,
  day date not null,
  used integer not null,
  primary key (workspace_id, channel, day)
);

-- Delivery pacing against `settings.messaging.rateLimits`, shared by every worker: the next
-- free send slot per workspace and channel (a virtual schedule: each delivery takes 1/perSecond
-- of a second from it).
create table delivery_pacing (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  channel text not null,
  next_at timestamptz not null,
  primary key (workspace_id, channel)
);

-- The slot pacing reserved for a message: a delivery that finds one already held sends at it
-- rather than taking another.
alter table messages add column paced_until timestamptz;

-- Touchline's domain schema. Every table carries workspace_id (the tenant boundary); hot tables
-- are keyed by (workspace_id, …) so the schema can later be distributed by workspace.

create table workspaces (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  settings jsonb not null default '{}',
  created_at timestamptz not null default now()
);

create table members (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  email text not null,
  name text,
  role text not null check (role in ('admin', 'marketer', 'analyst', 'engineer', 'approver')),
  password_hash text not null,
  created_at timestamptz not null default now(),
  last_sign_in_at timestamptz,
  primary key (workspace_id, id),
  unique (id)
);
create unique index members_email_key on members (workspace_id, lower(email));
create index members_email_idx on members (lower(email));

-- Sessions of members signed in to the editor. The cookie holds a random token; only its
-- SHA-256 is stored, so a database leak does not leak sessions.
create table sessions (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  token_hash text primary key,
  member_id uuid not null references members (id) on delete cascade,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index sessions_expires_idx on sessions (expires_at);

-- Write keys (ingestion only) and admin tokens are separate kinds; only hashes are stored.
create table api_keys (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  kind text not null check (kind in ('write', 'admin')),
  name text not null,
  token_hash text not null unique,
  token_prefix text not null,
  created_at timestamptz not null default now(),
  revoked_at timestamptz,
  primary key (workspace_id, id)
);

create table profiles (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  user_id text,
  traits jsonb not null default '{}',
  computed jsonb not null default '{}',
  email text,
  phone text,
  timezone text,
  locale text,
  merged_into uuid,
  first_seen_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (workspace_id, id)
);
create unique index profiles_user_id_key on profiles (workspace_id, user_id) where user_id is not null;
create index profiles_email_idx on profiles (workspace_id, lower(email)) where email is not null;
create index profiles_phone_idx on profiles (workspace_id, phone) where phone is not null;

-- Every identifier a profile is known by: user ids, anonymous ids, aliases.
create table profile_identities (
  workspace_id uuid not null,
  kind text not null check (kind in ('user_id', 'anonymous_id', 'alias')),
  value text not null,
  profile_id uuid not null,
  created_at timestamptz not null default now(),
  primary key (workspace_id, kind, value),
  foreign key (workspace_id, profile_id) references profiles (workspace_id, id) on delete cascade
);

create table events (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id bigint generated always as identity,
  message_id text not null,
  type text not null check (type in ('track', 'identify', 'page', 'screen', 'alias', 'group')),
  event text,
  profile_id uuid,
  user_id text,
  anonymous_id text,
  properties jsonb not null default '{}',
  context jsonb not null default '{}',
  timestamp timestamptz not null,
  received_at timestamptz not null default now(),
  primary key (workspace_id, id),
  unique (workspace_id, message_id)
);
create index events_profile_idx on events (workspace_id, profile_id, timestamp desc);
create index events_name_idx on events (workspace_id, event, timestamp desc) where event is not null;

create table segments (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  name text not null,
  definition jsonb not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (workspace_id, id)
);

create table templates (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  name text not null,
  channel text not null check (channel in ('email', 'sms', 'push', 'whatsapp', 'inapp', 'webhook')),
  current_version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (workspace_id, id)
);

create table template_versions (
  workspace_id uuid not null,
  template_id uuid not null,
  version integer not null,
  content jsonb not null,
  created_at timestamptz not null default now(),
  created_by uuid,
  primary key (workspace_id, template_id, version),
  foreign key (workspace_id, template_id) references templates (workspace_id, id) on delete cascade
);

create table journeys (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  name text not null,
  status text not null default 'draft' check (status in ('draft', 'live', 'paused', 'archived')),
  draft jsonb not null,
  live_version integer,
  created_at timestamptz not null default now(),
  created_by uuid,
  updated_at timestamptz not null default now(),
  updated_by uuid,
  primary key (workspace_id, id)
);

-- Published versions are immutable: the graph and its compiled rules as they were published.
create table journey_versions (
  workspace_id uuid not null,
  journey_id uuid not null,
  version integer not null,
  graph jsonb not null,
  compiled jsonb not null,
  published_at timestamptz not null default now(),
  published_by uuid,
  primary key (workspace_id, journey_id, version),
  foreign key (workspace_id, journey_id) references journeys (workspace_id, id) on delete cascade
);

create table enrollments (
  workspace_id uuid not null,
  id uuid not null default gen_random_uuid(),
  journey_id uuid not null,
  journey_version integer not null,
  profile_id uuid not null,
  status text not null default 'active'
    check (status in ('active', 'waiting', 'completed', 'exited', 'failed')),
  current_node text,
  context jsonb not null default '{}',
  entered_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  ended_at timestamptz,
  end_reason text,
  primary key (workspace_id, id),
  foreign key (workspace_id, journey_id, journey_version)
    references journey_versions (workspace_id, journey_id, version),
  foreign key (workspace_id, profile_id) references profiles (workspace_id, id) on delete cascade
);
create index enrollments_profile_idx on enrollments (workspace_id, profile_id);
create index enrollments_journey_idx on enrollments (workspace_id, journey_id, status);

-- The outbox: one row per send, unique per step so a retried step cannot send twice.
create table messages (
  workspace_id uuid not null,
  id uuid not null default gen_random_uuid(),
  idempotency_key text not null,
  profile_id uuid not null,
  enrollment_id uuid,
  journey_id uuid,
  node_id text,
  channel text not null check (channel in ('email', 'sms', 'push', 'whatsapp', 'inapp', 'webhook')),
  template_id uuid,
  template_version integer,
  variant text,
  status text not null default 'queued'
    check (status in ('queued', 'sent', 'delivered', 'opened', 'clicked', 'failed', 'suppressed')),
  suppressed_reason text,
  content jsonb not null default '{}',
  error text,
  created_at timestamptz not null default now(),
  sent_at timestamptz,
  updated_at timestamptz not null default now(),
  primary key (workspace_id, id),
  unique (workspace_id, idempotency_key),
  foreign key (workspace_id, profile_id) references profiles (workspace_id, id) on delete cascade
);
create index messages_profile_idx on messages (workspace_id, profile_id, created_at desc);
create index messages_journey_idx on messages (workspace_id, journey_id, created_at desc);

-- Ingestion: computed traits kept on write, channel addresses, the product catalog, CSV imports
-- and the record of events refused at the door.

-- Computed traits are columns, not jsonb keys: segment SQL and the RFM job sort and compare them.
alter table profiles
  add column orders_count integer not null default 0,
  add column lifetime_value numeric(16, 2) not null default 0,
  add column last_order_at timestamptz,
  add column rfm_recency smallint check (rfm_recency between 1 and 5),
  add column rfm_frequency smallint check (rfm_frequency between 1 and 5),
  add column rfm_monetary smallint check (rfm_monetary between 1 and 5),
  add column rfm_computed_at timestamptz,
  add column push_tokens jsonb not null default '[]';
-- Every event updates its profile's last_seen_at; free space on the page keeps those updates HOT.
alter table profiles set (fillfactor = 80);
create index profiles_identity_lookup_idx on profile_identities (workspace_id, profile_id);
create index profiles_orders_idx on profiles (workspace_id, last_order_at) where orders_count > 0;

create table products (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  sku text not null,
  name text not null,
  price numeric(16, 2),
  currency text,
  image_url text,
  url text,
  category text,
  stock integer,
  attributes jsonb not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (workspace_id, sku)
);
create index products_category_idx on products (workspace_id, category, sku);

-- A CSV upload of profiles or past events, with its progress while it streams in.
create table imports (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  kind text not null check (kind in ('profiles', 'events')),
  status text not null default 'running' check (status in ('running', 'completed', 'failed')),
  file_name text,
  bytes_read bigint not null default 0,
  rows_read bigint not null default 0,
  rows_imported bigint not null default 0,
  rows_failed bigint not null default 0,
  error text,
  created_by uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  finished_at timestamptz,
  primary key (workspace_id, id)
);

-- The per-row error report of an import (the first 10,000 errors; rows_failed counts them all).
create table import_errors (
  workspace_id uuid not null,
  import_id uuid not null,
  line bigint not null,
  field text,
  message text not null,
  primary key (workspace_id, import_id, line, message),
  foreign key (workspace_id, import_id) references imports (workspace_id, id) on delete cascade
);

-- Events refused inside an otherwise accepted batch. SDKs do not read response bodies, so the
-- workspace sees here what it sent wrong.
create table ingest_rejections (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id bigint generated always as identity,
  received_at timestamptz not null default now(),
  message_id text,
  type text,
  reason text not null,
  payload text not null,
  primary key (workspace_id, id)
);
create index ingest_rejections_received_idx on ingest_rejections (workspace_id, received_at desc);

-- Tracking links and one-click unsubscribe.

-- Secrets the installation generated for itself on its first start, read by every server and
-- worker process that shares this database: 'tracking' signs open, click and unsubscribe links
-- (unless TOUCHLINE_SECRET names one). Stored in clear, since they sign; they are not credentials
-- anyone types, and the database already holds everything they protect.
create table instance_secrets (
  name text primary key,
  value text not null,
  created_at timestamptz not null default now()
);

-- A tracking token names its message by id alone, to stay short: message ids are random UUIDs,
-- unique across workspaces, and this index finds them.
create index messages_id_idx on messages (id);

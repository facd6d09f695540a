-- Workspace channel settings: which adapter delivers each channel (sandbox, SMTP, an HTTP
-- provider, webhook, the in-app inbox) and its options. A channel with no row is delivered as
-- the environment says (TOUCHLINE_SMTP_URL, …; the sandbox by default).

create table channel_settings (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  channel text not null check (channel in ('email', 'sms', 'push', 'whatsapp', 'inapp', 'webhook')),
  adapter text not null,
  -- The settings without their credentials (API keys, passwords, signing secrets).
  config jsonb not null,
  -- The credentials, AES-256-GCM encrypted as one envelope "v1.<key id>.<iv>.<ciphertext>.<tag>"
  -- bound to (workspace_id, channel); null when there are none. The key is derived with HKDF
  -- from TOUCHLINE_SECRET (else the generated 'tracking' instance secret).
  secrets text,
  -- The key that encrypted `secrets`: rows still under an old key are found for re-encryption.
  key_id text,
  -- Raised on every change: delivery processes compare it to rebuild their cached adapter.
  version integer not null default 1,
  updated_at timestamptz not null default now(),
  primary key (workspace_id, channel)
);

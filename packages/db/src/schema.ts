import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type RequiredTimestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T = unknown> = ColumnType<T, T | string | undefined, T | string>;
type RequiredJson<T = unknown> = ColumnType<T, T | string, T | string>;

export type MemberRole = 'admin' | 'marketer' | 'analyst' | 'engineer' | 'approver';
export type ApiKeyKind = 'write' | 'admin';
export type JourneyStatus = 'draft' | 'live' | 'paused' | 'archived';
export type EnrollmentStatus = 'active' | 'waiting' | 'completed' | 'exited' | 'failed';
export type Channel = 'email' | 'sms' | 'push' | 'whatsapp' | 'inapp' | 'webhook';
export type MessageStatus =
  | 'queued'
  /** Claimed by a delivery attempt handing it to its adapter (0005). */
  | 'sending'
  | 'sent'
  | 'delivered'
  | 'opened'
  | 'clicked'
  | 'failed'
  | 'suppressed';
export type EventType = 'track' | 'identify' | 'page' | 'screen' | 'alias' | 'group';

export interface WorkspacesTable {
  id: Generated<string>;
  name: string;
  settings: Json<Record<string, unknown>>;
  created_at: Timestamp;
}

export interface MembersTable {
  workspace_id: string;
  id: Generated<string>;
  email: string;
  name: string | null;
  role: MemberRole;
  password_hash: string;
  created_at: Timestamp;
  last_sign_in_at: NullableTimestamp;
}

export interface SessionsTable {
  workspace_id: string;
  token_hash: string;
  member_id: string;
  created_at: Timestamp;
  expires_at: RequiredTimestamp;
}

export interface ApiKeysTable {
  workspace_id: string;
  id: Generated<string>;
  kind: ApiKeyKind;
  name: string;
  token_hash: string;
  token_prefix: string;
  created_at: Timestamp;
  revoked_at: NullableTimestamp;
}

export interface ProfilesTable {
  workspace_id: string;
  id: Generated<string>;
  user_id: string | null;
  traits: Json<Record<string, unknown>>;
  computed: Json<Record<string, unknown>>;
  email: string | null;
  phone: string | null;
  timezone: string | null;
  locale: string | null;
  merged_into: string | null;
  first_seen_at: Timestamp;
  last_seen_at: Timestamp;
  updated_at: Timestamp;
  orders_count: ColumnType<number, number | undefined, number>;
  /** numeric: pg returns it as a string to keep every cent. */
  lifetime_value: ColumnType<string, string | number | undefined, string | number>;
  last_order_at: NullableTimestamp;
  rfm_recency: number | null;
  rfm_frequency: number | null;
  rfm_monetary: number | null;
  rfm_computed_at: NullableTimestamp;
  push_tokens: Json<string[]>;
}

export interface ProfileIdentitiesTable {
  workspace_id: string;
  kind: 'user_id' | 'anonymous_id' | 'alias';
  value: string;
  profile_id: string;
  created_at: Timestamp;
}

export interface EventsTable {
  workspace_id: string;
  id: Generated<string>;
  message_id: string;
  type: EventType;
  event: string | null;
  profile_id: string | null;
  user_id: string | null;
  anonymous_id: string | null;
  properties: Json<Record<string, unknown>>;
  context: Json<Record<string, unknown>>;
  timestamp: RequiredTimestamp;
  received_at: Timestamp;
}

export interface SegmentsTable {
  workspace_id: string;
  id: Generated<string>;
  name: string;
  definition: RequiredJson;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface TemplatesTable {
  workspace_id: string;
  id: Generated<string>;
  name: string;
  channel: Channel;
  current_version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface TemplateVersionsTable {
  workspace_id: string;
  template_id: string;
  version: number;
  content: RequiredJson<Record<string, unknown>>;
  created_at: Timestamp;
  created_by: string | null;
}

export interface JourneysTable {
  workspace_id: string;
  id: Generated<string>;
  name: string;
  status: ColumnType<JourneyStatus, JourneyStatus | undefined, JourneyStatus>;
  draft: RequiredJson;
  /** Bumped on every draft save; a save based on an older one is refused (see updateJourneyDraft). */
  draft_revision: Generated<number>;
  live_version: number | null;
  created_at: Timestamp;
  created_by: string | null;
  updated_at: Timestamp;
  updated_by: string | null;
}

export interface JourneyVersionsTable {
  workspace_id: string;
  journey_id: string;
  version: number;
  graph: RequiredJson;
  compiled: RequiredJson;
  published_at: Timestamp;
  published_by: string | null;
}

export interface EnrollmentsTable {
  workspace_id: string;
  id: Generated<string>;
  journey_id: string;
  journey_version: number;
  profile_id: string;
  status: ColumnType<EnrollmentStatus, EnrollmentStatus | undefined, EnrollmentStatus>;
  current_node: string | null;
  context: Json<Record<string, unknown>>;
  entered_at: Timestamp;
  updated_at: Timestamp;
  ended_at: NullableTimestamp;
  end_reason: string | null;
  entry_slot: string | null;
  entry_key: Generated<string>;
  visits: Json<Record<string, number>>;
  current_visit: number | null;
  wait: Json<Record<string, unknown>> | null;
  wake_at: NullableTimestamp;
  held: Generated<boolean>;
  converted_at: NullableTimestamp;
}

export interface EnrollmentStepsTable {
  workspace_id: string;
  enrollment_id: string;
  node_id: string;
  visit: number;
  journey_id: string;
  journey_version: number;
  profile_id: string;
  type: string;
  port: string | null;
  rule: string | null;
  reason: string | null;
  facts: Json<Record<string, unknown>> | null;
  entered_at: RequiredTimestamp;
  left_at: NullableTimestamp;
}

export interface JourneyInboxTable {
  id: Generated<string>;
  workspace_id: string;
  event_id: string;
  profile_id: string;
  created_at: Timestamp;
  attempts: Generated<number>;
  last_error: string | null;
}

export interface JourneyTimersTable {
  workspace_id: string;
  enrollment_id: string;
  node_id: string;
  visit: number;
  wake_at: RequiredTimestamp;
}

export interface MessagesTable {
  workspace_id: string;
  id: Generated<string>;
  idempotency_key: string;
  profile_id: string;
  enrollment_id: string | null;
  journey_id: string | null;
  node_id: string | null;
  channel: Channel;
  template_id: string | null;
  template_version: number | null;
  variant: string | null;
  status: ColumnType<MessageStatus, MessageStatus | undefined, MessageStatus>;
  suppressed_reason: string | null;
  content: Json<Record<string, unknown>>;
  error: string | null;
  created_at: Timestamp;
  sent_at: NullableTimestamp;
  updated_at: Timestamp;
  /** The adapter that delivered it, and the provider's id for it (0005). */
  adapter: string | null;
  provider_id: string | null;
  delivery_attempts: ColumnType<number, number | undefined, number>;
  claimed_at: NullableTimestamp;
}

export interface ProductsTable {
  workspace_id: string;
  sku: string;
  name: string;
  price: ColumnType<string | null, string | number | null | undefined, string | number | null>;
  currency: string | null;
  image_url: string | null;
  url: string | null;
  category: string | null;
  stock: number | null;
  attributes: Json<Record<string, unknown>>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type ImportKind = 'profiles' | 'events';
export type ImportStatus = 'running' | 'completed' | 'failed';

export interface ImportsTable {
  workspace_id: string;
  id: Generated<string>;
  kind: ImportKind;
  status: ColumnType<ImportStatus, ImportStatus | undefined, ImportStatus>;
  file_name: string | null;
  bytes_read: ColumnType<string, number | string | undefined, number | string>;
  rows_read: ColumnType<string, number | string | undefined, number | string>;
  rows_imported: ColumnType<string, number | string | undefined, number | string>;
  rows_failed: ColumnType<string, number | string | undefined, number | string>;
  error: string | null;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  finished_at: NullableTimestamp;
}

export interface ImportErrorsTable {
  workspace_id: string;
  import_id: string;
  line: ColumnType<string, number | string, number | string>;
  field: string | null;
  message: string;
}

export interface IngestRejectionsTable {
  workspace_id: string;
  id: Generated<string>;
  received_at: Timestamp;
  message_id: string | null;
  type: string | null;
  reason: string;
  payload: string;
}

export interface MigrationsTable {
  name: string;
  checksum: string;
  applied_at: Timestamp;
}

/** Secrets the installation generated for itself (0006): `tracking` signs tracking links. */
export interface InstanceSecretsTable {
  name: string;
  value: string;
  created_at: Timestamp;
}

/** A workspace's delivery settings for one channel (0008); `secrets` is an encrypted envelope. */
export interface ChannelSettingsTable {
  workspace_id: string;
  channel: Channel;
  adapter: string;
  config: RequiredJson<Record<string, unknown>>;
  secrets: string | null;
  key_id: string | null;
  version: Generated<number>;
  updated_at: Timestamp;
}

/** Every table Touchline owns, as Kysely sees it. */
export interface Database {
  workspaces: WorkspacesTable;
  members: MembersTable;
  sessions: SessionsTable;
  api_keys: ApiKeysTable;
  profiles: ProfilesTable;
  profile_identities: ProfileIdentitiesTable;
  events: EventsTable;
  segments: SegmentsTable;
  templates: TemplatesTable;
  template_versions: TemplateVersionsTable;
  journeys: JourneysTable;
  journey_versions: JourneyVersionsTable;
  enrollments: EnrollmentsTable;
  enrollment_steps: EnrollmentStepsTable;
  journey_inbox: JourneyInboxTable;
  journey_timers: JourneyTimersTable;
  messages: MessagesTable;
  products: ProductsTable;
  imports: ImportsTable;
  import_errors: ImportErrorsTable;
  ingest_rejections: IngestRejectionsTable;
  touchline_migrations: MigrationsTable;
  instance_secrets: InstanceSecretsTable;
  channel_settings: ChannelSettingsTable;
}

export type Workspace = Selectable<WorkspacesTable>;
export type Member = Selectable<MembersTable>;
export type ApiKey = Selectable<ApiKeysTable>;
export type Journey = Selectable<JourneysTable>;
export type NewJourney = Insertable<JourneysTable>;
export type JourneyVersion = Selectable<JourneyVersionsTable>;
export type Profile = Selectable<ProfilesTable>;
export type Product = Selectable<ProductsTable>;
export type Import = Selectable<ImportsTable>;

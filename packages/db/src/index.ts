export { createDb, type Db, type DbHandle, type DbOrTrx, type Trx } from './connection.js';
export { resolveDataDir } from './data-dir.js';
export {
  type EmbeddedPostgres,
  type EmbeddedPostgresOptions,
  startEmbeddedPostgres,
} from './embedded/embedded-postgres.js';
export { freePort } from './embedded/process.js';
export { type GroupCommitOptions, GroupCommitter, SubmissionFailed } from './group-commit.js';
export { defaultMigrationsDir, type Migration, migrate, readMigrations } from './migrate.js';
export { ensureDatabase, type OpenDatabase, type OpenDatabaseOptions, openDatabase } from './open.js';
export * from './repos/api-keys.js';
export * from './repos/channel-settings.js';
export * from './repos/delivery-status.js';
export * from './repos/enrollments.js';
export * from './repos/inapp-messages.js';
export * from './repos/instance-secrets.js';
export * from './repos/journey-list.js';
export * from './repos/journeys.js';
export * from './repos/members.js';
export * from './repos/message-delivery.js';
export * from './repos/message-tracking.js';
export * from './repos/messages.js';
export * from './repos/products.js';
export * from './repos/profiles.js';
export * from './repos/recommendations.js';
export * from './repos/segments.js';
export * from './repos/sessions.js';
export * from './repos/suppressions.js';
export * from './repos/templates.js';
export * from './repos/test-messages.js';
export * from './repos/workspaces.js';
export type * from './schema.js';

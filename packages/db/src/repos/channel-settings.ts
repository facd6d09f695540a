import { sql } from 'kysely';
import type { DbOrTrx } from '../connection.js';
import type { Channel } from '../schema.js';

/** A channel's stored settings: its config in clear, its credentials still encrypted. */
export interface ChannelSettingsRow {
  channel: Channel;
  adapter: string;
  config: Record<string, unknown>;
  secrets: string | null;
  keyId: string | null;
  version: number;
  updatedAt: Date;
}

const columns = ['channel', 'adapter', 'config', 'secrets', 'key_id', 'version', 'updated_at'] as const;

function toRow(row: {
  channel: Channel;
  adapter: string;
  config: Record<string, unknown>;
  secrets: string | null;
  key_id: string | null;
  version: number;
  updated_at: Date;
}): ChannelSettingsRow {
  return {
    channel: row.channel,
    adapter: row.adapter,
    config: row.config,
    secrets: row.secrets,
    keyId: row.key_id,
    version: row.version,
    updatedAt: row.updated_at,
  };
}

export async function findChannelSettings(
  db: DbOrTrx,
  workspaceId: string,
  channel: Channel,
): Promise<ChannelSettingsRow | undefined> {
  const row = await db
    .selectFrom('channel_settings')
    .select(columns)
    .where('workspace_id', '=', workspaceId)
    .where('channel', '=', channel)
    .executeTakeFirst();
  return row && toRow(row);
}

export async function listChannelSettings(db: DbOrTrx, workspaceId: string): Promise<ChannelSettingsRow[]> {
  const rows = await db
    .selectFrom('channel_settings')
    .select(columns)
    .where('workspace_id', '=', workspaceId)
    .orderBy('channel')
    .execute();
  return rows.map(toRow);
}

/** Stores a channel's settings, replacing what was there and raising its version. */
export async function saveChannelSettings(
  db: DbOrTrx,
  workspaceId: string,
  settings: {
    channel: Channel;
    adapter: string;
    config: Record<string, unknown>;
    secrets: string | null;
    keyId: string | null;
  },
): Promise<ChannelSettingsRow> {
  const values = {
    workspace_id: workspaceId,
    channel: settings.channel,
    adapter: settings.adapter,
    config: JSON.stringify(settings.config),
    secrets: settings.secrets,
    key_id: settings.secrets === null ? null : settings.keyId,
  };
  const row = await db
    .insertInto('channel_settings')
    .values(values)
    .onConflict((conflict) =>
      conflict.columns(['workspace_id', 'channel']).doUpdateSet({
        adapter: values.adapter,
        config: values.config,
        secrets: values.secrets,
        key_id: values.key_id,
        version: sql`channel_settings.version + 1`,
        updated_at: sql`now()`,
      }),
    )
    .returning(columns)
    .executeTakeFirstOrThrow();
  return toRow(row);
}

/** Removes a channel's settings (it goes back to the environment's adapter); true when there were some. */
export async function deleteChannelSettings(
  db: DbOrTrx,
  workspaceId: string,
  channel: Channel,
): Promise<boolean> {
  const result = await db
    .deleteFrom('channel_settings')
    .where('workspace_id', '=', workspaceId)
    .where('channel', '=', channel)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

import {
  type ChannelAdapter,
  createChannelRegistry,
  createSandboxAdapter,
  createSettingsCipher,
} from '@touchline/channels';
import { createWorkspace, saveChannelSettings } from '@touchline/db';
import { createTestDatabase, type TestDatabase } from '@touchline/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkspaceAdapters } from './workspace-adapters.js';

let database: TestDatabase;
const cipher = createSettingsCipher(['workspace-adapters-secret-0123456789']);

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
});

const smsSettings = (url: string) => ({
  channel: 'sms' as const,
  adapter: 'http',
  config: { adapter: 'http', url, auth: { type: 'bearer' } },
  keyId: cipher.keyId,
});

describe('workspace adapters', () => {
  it('uses the environment’s adapter until a workspace sets the channel, then its own', async () => {
    const workspace = await createWorkspace(database.db, 'Adapters');
    const environment = createSandboxAdapter();
    let now = 0;
    const adapters = new WorkspaceAdapters({
      fallback: createChannelRegistry([environment]),
      cipher,
      ttlMs: 5000,
      now: () => now,
    });
    expect(await adapters.forChannel(database.db, workspace.id, 'sms')).toBe(environment);

    await saveChannelSettings(database.db, workspace.id, {
      ...smsSettings('https://sms.example/v1'),
      secrets: cipher.encrypt(JSON.stringify({ 'auth.token': 'tok' }), `${workspace.id}/sms`),
    });
    // Within the TTL the cached adapter stands; after it, the row is read and the new one built.
    expect(await adapters.forChannel(database.db, workspace.id, 'sms')).toBe(environment);
    now += 5000;
    const own = (await adapters.forChannel(database.db, workspace.id, 'sms')) as ChannelAdapter;
    expect(own.name).toBe('http:sms');

    // The same version after the TTL: the same adapter, not rebuilt.
    now += 5000;
    expect(await adapters.forChannel(database.db, workspace.id, 'sms')).toBe(own);

    // Another workspace is untouched by this one's settings.
    const other = await createWorkspace(database.db, 'Other');
    expect(await adapters.forChannel(database.db, other.id, 'sms')).toBe(environment);
    await adapters.close();
  });

  it('refuses credentials it cannot decrypt rather than sending without them', async () => {
    const workspace = await createWorkspace(database.db, 'Rotated');
    await saveChannelSettings(database.db, workspace.id, {
      ...smsSettings('https://sms.example/v1'),
      secrets: createSettingsCipher(['a-secret-nobody-kept-0123']).encrypt('{}', `${workspace.id}/sms`),
    });
    const adapters = new WorkspaceAdapters({ fallback: createChannelRegistry([]), cipher });
    await expect(adapters.forChannel(database.db, workspace.id, 'sms')).rejects.toThrow(
      /no configured secret derives/,
    );
    const keyless = new WorkspaceAdapters({ fallback: createChannelRegistry([]) });
    await expect(keyless.forChannel(database.db, workspace.id, 'sms')).rejects.toThrow(/no key to decrypt/);
  });
});

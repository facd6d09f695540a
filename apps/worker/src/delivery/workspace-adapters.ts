import {
  type AdapterEnvironment,
  adapterFromSettings,
  type ChannelAdapter,
  type ChannelName,
  type ChannelRegistry,
  channelSettingsSchema,
  joinSecrets,
  type SecretValues,
  type SettingsCipher,
} from '@touchline/channels';
import { type Db, findChannelSettings } from '@touchline/db';

interface Entry {
  /** The settings row's version, or null: no row, the environment's adapter. */
  version: number | null;
  adapter: ChannelAdapter | undefined;
  /** Built from settings here, so closed here when replaced. */
  owned: boolean;
  checkedAt: number;
}

export interface WorkspaceAdaptersOptions {
  /** The environment's adapters (`TOUCHLINE_SMTP_URL`, …): channels a workspace has not set. */
  fallback: ChannelRegistry;
  /** Decrypts stored credentials; without it, settings with credentials cannot be used. */
  cipher?: SettingsCipher | undefined;
  env?: AdapterEnvironment | undefined;
  /** How long a resolved adapter is used before its settings' version is checked again; 5 s. */
  ttlMs?: number | undefined;
  now?: () => number;
}

/**
 * The adapter each workspace delivers a channel with: its `channel_settings` row when it has
 * one, else the environment's. Resolved adapters are cached per workspace and channel and, after
 * `ttlMs`, the row is read again (one primary-key lookup) and the adapter rebuilt only when its
 * version moved — so a settings change reaches every server and worker process within `ttlMs`,
 * with no listener connection to keep. A replaced adapter is closed once its sends are done.
 */
export class WorkspaceAdapters {
  readonly #options: WorkspaceAdaptersOptions;
  readonly #entries = new Map<string, Entry>();
  readonly #pending = new Map<string, Promise<Entry>>();
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(options: WorkspaceAdaptersOptions) {
    this.#options = options;
    this.#ttlMs = options.ttlMs ?? 5000;
    this.#now = options.now ?? Date.now;
  }

  get fallback(): ChannelRegistry {
    return this.#options.fallback;
  }

  async forChannel(db: Db, workspaceId: string, channel: ChannelName): Promise<ChannelAdapter | undefined> {
    const key = `${workspaceId}/${channel}`;
    const entry = this.#entries.get(key);
    if (entry && this.#now() - entry.checkedAt < this.#ttlMs) return entry.adapter;
    let pending = this.#pending.get(key);
    if (!pending) {
      pending = this.#refresh(db, workspaceId, channel, key, entry).finally(() => this.#pending.delete(key));
      this.#pending.set(key, pending);
    }
    return (await pending).adapter;
  }

  async #refresh(
    db: Db,
    workspaceId: string,
    channel: ChannelName,
    key: string,
    previous: Entry | undefined,
  ): Promise<Entry> {
    const row = await findChannelSettings(db, workspaceId, channel);
    const version = row?.version ?? null;
    if (previous && previous.version === version) {
      previous.checkedAt = this.#now();
      return previous;
    }
    let entry: Entry;
    if (!row) {
      entry = {
        version,
        adapter: this.#options.fallback.forChannel(channel),
        owned: false,
        checkedAt: this.#now(),
      };
    } else {
      let secrets: SecretValues = {};
      if (row.secrets !== null) {
        if (!this.#options.cipher) {
          throw new Error(
            `the ${channel} settings hold credentials, and this process has no key to decrypt them`,
          );
        }
        secrets = JSON.parse(this.#options.cipher.decrypt(row.secrets, `${workspaceId}/${channel}`));
      }
      // Validated when saved; parsing again fills defaults added since.
      const settings = joinSecrets(channelSettingsSchema.parse(row.config), secrets);
      entry = {
        version,
        adapter: adapterFromSettings(channel, settings, this.#options.env),
        owned: true,
        checkedAt: this.#now(),
      };
    }
    this.#entries.set(key, entry);
    if (previous?.owned) retire(previous.adapter);
    return entry;
  }

  /** Closes every adapter built from settings, and the environment's. */
  async close(): Promise<void> {
    const owned = [...this.#entries.values()].filter((entry) => entry.owned);
    this.#entries.clear();
    await Promise.all(owned.map((entry) => entry.adapter?.close?.()));
    await this.#options.fallback.close();
  }
}

/** Sends already handed to a replaced adapter (a pooled SMTP connection) finish before it closes. */
function retire(adapter: ChannelAdapter | undefined): void {
  if (!adapter?.close) return;
  setTimeout(() => void adapter.close?.().catch(() => {}), 30_000).unref();
}

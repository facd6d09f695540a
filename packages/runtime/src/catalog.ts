import type { CompiledJourney } from '@touchline/journey';
import pg from 'pg';
import { type RoutedVersion, RoutingIndex } from './routing.js';

export interface CatalogLogger {
  warn(object: object, message: string): void;
  debug(object: object, message: string): void;
}

interface VersionRow {
  workspace_id: string;
  journey_id: string;
  name: string;
  status: 'live' | 'paused';
  live_version: number | null;
  version: number;
  compiled: CompiledJourney | null;
}

/**
 * The published versions this process runs, as a RoutingIndex. Published versions are
 * immutable, so each is parsed once and kept; a change to any journey (publish, pause, resume,
 * archive) is announced on the `touchline_journeys` channel by a trigger, and every process
 * rebuilds its index within milliseconds. A slow periodic reload covers a lost connection.
 */
export class JourneyCatalog {
  #index = new RoutingIndex([]);
  readonly #compiled = new Map<string, CompiledJourney>();
  #listener: pg.Client | undefined;
  #timer: NodeJS.Timeout | undefined;
  #reloading: Promise<void> | undefined;
  #again = false;
  #closed = false;
  readonly #listeners = new Set<() => void>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly options: {
      /** Connection settings for the LISTEN connection; without them, changes are polled only. */
      connection?: pg.ClientConfig;
      reloadIntervalMs?: number;
      logger?: CatalogLogger;
    } = {},
  ) {}

  get index(): RoutingIndex {
    return this.#index;
  }

  /** Called after every rebuild (tests and the ingest path's settings use it). */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async start(): Promise<void> {
    await this.reload();
    if (this.options.connection) await this.#listen(this.options.connection);
    this.#timer = setInterval(() => {
      this.reload().catch((error: unknown) =>
        this.options.logger?.warn({ err: error }, 'reloading live journeys failed'),
      );
    }, this.options.reloadIntervalMs ?? 30_000);
    this.#timer.unref();
  }

  async #listen(connection: pg.ClientConfig): Promise<void> {
    const client = new pg.Client(connection);
    client.on('error', (error) => {
      this.options.logger?.warn({ err: error }, 'the journey change listener lost its connection');
      this.#listener = undefined;
      if (!this.#closed) setTimeout(() => void this.#listen(connection).catch(() => {}), 1_000).unref();
    });
    client.on('notification', () => {
      this.reload().catch((error: unknown) =>
        this.options.logger?.warn({ err: error }, 'reloading live journeys failed'),
      );
    });
    await client.connect();
    await client.query('listen touchline_journeys');
    this.#listener = client;
    // A change made while we were not listening.
    await this.reload();
  }

  /** Rebuilds the index now; concurrent calls share one reload, and one more follows if asked. */
  reload(): Promise<void> {
    if (this.#reloading) {
      this.#again = true;
      return this.#reloading;
    }
    this.#reloading = (async () => {
      try {
        do {
          this.#again = false;
          await this.#load();
        } while (this.#again);
      } finally {
        this.#reloading = undefined;
      }
    })();
    return this.#reloading;
  }

  async #load(): Promise<void> {
    // Compiled rules are fetched only for versions not parsed yet.
    const known = [...this.#compiled.keys()];
    const result = await this.pool.query<VersionRow>(
      `select j.workspace_id, j.id as journey_id, j.name, j.status, j.live_version, v.version,
              case when (j.id::text || '@' || v.version) = any($1::text[]) then null else v.compiled end as compiled
         from journeys j
         join journey_versions v on v.workspace_id = j.workspace_id and v.journey_id = j.id
        where j.status in ('live', 'paused')`,
      [known],
    );
    const versions: RoutedVersion[] = [];
    for (const row of result.rows) {
      const key = `${row.journey_id}@${row.version}`;
      let compiled = this.#compiled.get(key);
      if (!compiled && row.compiled) {
        compiled = row.compiled;
        this.#compiled.set(key, compiled);
      }
      if (!compiled) continue;
      versions.push({
        workspaceId: row.workspace_id,
        journeyId: row.journey_id,
        journeyName: row.name,
        version: row.version,
        journeyStatus: row.status,
        isCurrent: row.live_version === row.version,
        compiled,
      });
    }
    this.#index = new RoutingIndex(versions);
    this.options.logger?.debug({ versions: versions.length }, 'live journeys reloaded');
    for (const listener of this.#listeners) listener();
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    await this.#reloading?.catch(() => {});
    await this.#listener?.end().catch(() => {});
  }
}

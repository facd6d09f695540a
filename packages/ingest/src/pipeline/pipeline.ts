import { GroupCommitter, SubmissionFailed } from '@touchline/db';
import type pg from 'pg';
import { defaultIngestSettings, type IngestSettings, ingestSettingsOf } from '../settings.js';
import type { IngestEvent } from '../spec/normalize.js';
import { type IdentityKey, identityKeysOf, planIdentities } from './identities.js';
import { IdentityCache } from './identity-cache.js';
import { profileChangesOf } from './profile-updates.js';
import {
  applyIdentityPlan,
  IngestConflict,
  insertRejections,
  loadIdentities,
  type Rejection,
  writeEvents,
} from './store.js';

export interface IngestResult {
  /** Events stored by this call. */
  accepted: number;
  /** Events whose messageId was already stored (or repeated within the call): accepted, ignored. */
  duplicates: number;
}

export interface PipelineLogger {
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

export interface PipelineOptions {
  pool: pg.Pool;
  /** Events per transaction at most; a larger submission is written alone. */
  maxGroupEvents?: number;
  /** Transactions written at the same time. */
  maxInFlight?: number;
  /** How long workspace settings (order event name…) are cached. */
  settingsTtlMs?: number;
  /** Identities kept in memory so known users skip the lookup; 0 turns the cache off. */
  identityCacheSize?: number;
  /**
   * Events waiting for a group at most. Past it, calls are refused with IngestOverloaded (the
   * API answers 429 with Retry-After, which Segment's libraries honour by keeping the events and
   * retrying) instead of queueing without bound while PostgreSQL is slow or away.
   */
  maxQueuedEvents?: number;
  logger?: PipelineLogger;
  /**
   * The journey runtime: which events a live journey may react to (they go to its inbox in the
   * same statement as the event), and the inbox rows to run once committed.
   */
  journeys?: JourneyHandoff;
}

export interface JourneyHandoff {
  isRelevant(workspaceId: string, event: string | null): boolean;
  /** The inbox rows just committed, with each row's profile. */
  routed(inboxIds: readonly string[], profileIds: readonly string[]): void;
}

interface Submission {
  events: readonly IngestEvent[];
  rejections: readonly Rejection[];
}

/** Too much is waiting to be written: the caller should come back in a moment. */
export class IngestOverloaded extends Error {
  constructor(readonly queuedEvents: number) {
    super(`ingestion is behind: ${queuedEvents} events are waiting to be written; retry shortly`);
    this.name = 'IngestOverloaded';
  }
}

const retryableCodes = new Set(['40001', '40P01', '23505']);
const maxAttempts = 6;

function isRetryable(error: unknown): boolean {
  if (error instanceof IngestConflict) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && retryableCodes.has(code);
}

/**
 * The write path of ingestion. `ingest()` resolves only after the events are committed: that is
 * what a 200 from /v1 promises. Concurrent calls share transactions (group commit); within a
 * transaction: resolve identities (create, link, merge profiles), insert events (a repeated
 * messageId is skipped), then update each touched profile once with its new traits and
 * computed traits. A failing group is retried on conflicts, and otherwise split so that one
 * bad call cannot fail the calls it was grouped with.
 */
export class IngestPipeline {
  readonly #pool: pg.Pool;
  readonly #committer: GroupCommitter<Submission, IngestResult>;
  readonly #settings = new Map<string, { settings: IngestSettings; at: number }>();
  readonly #settingsTtlMs: number;
  readonly #logger: PipelineLogger | undefined;
  #closed = false;
  #retries = 0;
  readonly #maxQueuedEvents: number;
  readonly #identities: IdentityCache | undefined;
  readonly #journeys: JourneyHandoff | undefined;

  constructor(options: PipelineOptions) {
    this.#pool = options.pool;
    this.#settingsTtlMs = options.settingsTtlMs ?? 5_000;
    this.#maxQueuedEvents = options.maxQueuedEvents ?? 50_000;
    this.#logger = options.logger;
    this.#journeys = options.journeys;
    const cacheSize = options.identityCacheSize ?? 200_000;
    this.#identities = cacheSize > 0 ? new IdentityCache(cacheSize) : undefined;
    this.#committer = new GroupCommitter<Submission, IngestResult>({
      write: (submissions) => this.#writeGroup(submissions),
      sizeOf: (s) => s.events.length + s.rejections.length,
      maxGroupSize: options.maxGroupEvents ?? 2_000,
      maxInFlight: options.maxInFlight ?? 2,
    });
  }

  /** Groups and calls written, the largest group, and conflict retries (another writer won). */
  get stats() {
    return { ...this.#committer.stats, retries: this.#retries };
  }

  ingest(events: readonly IngestEvent[], rejections: readonly Rejection[] = []): Promise<IngestResult> {
    if (this.#closed) return Promise.reject(new Error('the ingestion pipeline is closed'));
    if (events.length === 0 && rejections.length === 0)
      return Promise.resolve({ accepted: 0, duplicates: 0 });
    const queued = this.#committer.queuedSize;
    if (queued > 0 && queued + events.length > this.#maxQueuedEvents) {
      return Promise.reject(new IngestOverloaded(queued));
    }
    return this.#committer.submit({ events, rejections });
  }

  /** Workspace settings changed: forget the cached copy. */
  invalidateSettings(workspaceId: string): void {
    this.#settings.delete(workspaceId);
  }

  /** Stops taking calls and waits for the ones accepted to be written. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#committer.drain();
  }

  async #writeGroup(submissions: readonly Submission[]): Promise<Array<IngestResult | SubmissionFailed>> {
    for (let attempt = 1; ; attempt++) {
      try {
        // A retry follows a conflict: what the cache said may be what went stale.
        return await this.#transaction(submissions, attempt === 1);
      } catch (error) {
        if (isRetryable(error) && attempt < maxAttempts) {
          this.#retries++;
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
          continue;
        }
        if (submissions.length > 1) {
          // Isolate the failure: each call is written on its own, and only the bad one fails.
          this.#logger?.warn(
            { err: error, calls: submissions.length },
            'ingestion group failed; writing its calls one by one',
          );
          const results: Array<IngestResult | SubmissionFailed> = [];
          for (const submission of submissions) results.push(...(await this.#writeGroup([submission])));
          return results;
        }
        this.#logger?.error({ err: error }, 'ingestion call failed');
        return [new SubmissionFailed(error)];
      }
    }
  }

  async #transaction(submissions: readonly Submission[], useCache: boolean): Promise<IngestResult[]> {
    // One row per (workspace, messageId): a repeat within the group counts as a duplicate.
    const events: IngestEvent[] = [];
    const owner: number[] = [];
    const seen = new Set<string>();
    const results = submissions.map(() => ({ accepted: 0, duplicates: 0 }));
    submissions.forEach((submission, s) => {
      for (const event of submission.events) {
        const key = `${event.workspaceId}\u0001${event.messageId}`;
        if (seen.has(key)) {
          (results[s] as IngestResult).duplicates++;
          continue;
        }
        seen.add(key);
        events.push(event);
        owner.push(s);
      }
    });
    const rejections = submissions.flatMap((s) => s.rejections);

    const client = await this.#pool.connect();
    let broken: Error | undefined;
    let keys: IdentityKey[] = [];
    let plan: ReturnType<typeof planIdentities> | undefined;
    let open = false;
    let inbox: { ids: string[]; profileIds: string[] } = { ids: [], profileIds: [] };
    try {
      if (events.length > 0) {
        const settings = await this.#settingsFor(client, events);
        // Known people only (the usual case): no lookup, no plan, no identity writes.
        let profileOf = useCache ? this.#identities?.resolveAll(events) : undefined;
        if (!profileOf) {
          keys = identityKeysOf(events);
          const cached =
            useCache && this.#identities ? this.#identities.partition(keys) : { known: [], missing: keys };
          const known = cached.known.concat(await loadIdentities(client, cached.missing));
          plan = planIdentities(events, known);
          const changesIdentities =
            plan.newProfiles.length + plan.newIdentities.length + plan.userIds.length + plan.merges.length >
            0;
          if (changesIdentities || rejections.length > 0) {
            await client.query('begin');
            open = true;
          }
          if (changesIdentities) {
            const adopted = await applyIdentityPlan(client, plan);
            if (adopted.size > 0) {
              // Another writer created some of these people first: their profiles hold the events.
              plan.profileOf = plan.profileOf.map((id) => adopted.get(id) ?? id);
              plan.resolved = plan.resolved.map((r) => ({
                ...r,
                profileId: adopted.get(r.profileId) ?? r.profileId,
              }));
            }
          }
          profileOf = plan.profileOf;
        } else if (rejections.length > 0) {
          // Rejections are written in the same transaction as the events they came with.
          await client.query('begin');
          open = true;
        }
        const changes = events.map((e) =>
          profileChangesOf(e, settings.get(e.workspaceId) ?? defaultIngestSettings),
        );
        const routed = this.#journeys
          ? events.map((e) => (this.#journeys as JourneyHandoff).isRelevant(e.workspaceId, e.event))
          : undefined;
        const written = await writeEvents(client, events, profileOf, changes, routed);
        const fresh = written.fresh;
        inbox = written.inbox;
        events.forEach((_event, index) => {
          const result = results[owner[index] as number] as IngestResult;
          if (fresh.has(index)) result.accepted++;
          else result.duplicates++;
        });
      } else {
        await client.query('begin');
        open = true;
      }
      if (rejections.length > 0) await insertRejections(client, rejections);
      if (open) await client.query('commit');
      if (plan) this.#identities?.remember(plan.resolved);
      if (inbox.ids.length > 0) this.#journeys?.routed(inbox.ids, inbox.profileIds);
      return results;
    } catch (error) {
      this.#identities?.forget(keys);
      if (open) {
        await client.query('rollback').catch((rollbackError: Error) => {
          broken = rollbackError;
        });
      }
      throw error;
    } finally {
      client.release(broken);
    }
  }

  async #settingsFor(
    client: pg.PoolClient,
    events: readonly IngestEvent[],
  ): Promise<Map<string, IngestSettings>> {
    const now = Date.now();
    const result = new Map<string, IngestSettings>();
    const missing: string[] = [];
    for (const event of events) {
      if (result.has(event.workspaceId)) continue;
      const cached = this.#settings.get(event.workspaceId);
      if (cached && now - cached.at < this.#settingsTtlMs) result.set(event.workspaceId, cached.settings);
      else if (!missing.includes(event.workspaceId)) missing.push(event.workspaceId);
    }
    if (missing.length > 0) {
      const rows = await client.query<{ id: string; settings: unknown }>({
        name: 'tl_ingest_settings',
        text: 'select id, settings from workspaces where id = any($1::uuid[])',
        values: [missing],
      });
      for (const row of rows.rows) {
        const settings = ingestSettingsOf(row.settings);
        this.#settings.set(row.id, { settings, at: now });
        result.set(row.id, settings);
      }
    }
    return result;
  }
}

import { GroupCommitter, SubmissionFailed } from '@touchline/db';
import { messagingPolicyOf, type NodeTypeRegistry } from '@touchline/journey';
import type pg from 'pg';
import { type CatalogLogger, JourneyCatalog } from './catalog.js';
import { type DecideCounts, decideEvents, decideWakes, type WakeRequest } from './decide.js';
import type { Effects } from './effects.js';
import type { WorkspaceMessaging } from './guards.js';
import type { DirectEntry } from './schedule-entry.js';
import { enrollProfiles, ensureScheduleJobs, runScheduleTick, type ScheduleTick } from './schedule-runner.js';
import { interruptibleSleep } from './sleeper.js';
import {
  beginClaimInbox,
  claimDueWakes,
  type DueWake,
  EntryConflict,
  failTimer,
  failWakeJob,
  hasDueWakes,
  type InboxEvent,
  promoteTimers,
  recordInboxFailure,
  requeueOverdue,
  staleWriteCode,
  type WakeClaim,
  type WriteOptions,
  writeEffects,
} from './store.js';
import { WakeFloor } from './wake-floor.js';
import { unpreparedCode } from './wire.js';

export interface RuntimeLogger extends CatalogLogger {
  error(object: object, message: string): void;
  info(object: object, message: string): void;
}

export interface RuntimeOptions {
  pool: pg.Pool;
  /** For LISTEN: journey changes reach this process within milliseconds. */
  connection?: pg.ClientConfig;
  registry?: NodeTypeRegistry;
  logger?: RuntimeLogger;
  /** Waits due further out than this wait in `journey_timers` until they come close. */
  horizonMs?: number;
  /** Inbox events per transaction at most. */
  batchSize?: number;
  /**
   * Inbox transactions run at once, each over its own people: a profile's events always go to
   * the same lane, so they are decided in the order they were accepted.
   */
  lanes?: number;
  /** How often inbox rows left behind (by a crash, or another process) are looked for. */
  sweepIntervalMs?: number;
  now?: () => Date;
  /** Waits and messages this long overdue with no live job are queued again (a killed worker). */
  overdueAfterMs?: number;
  /**
   * Fault injection for crash tests: SIGKILL this process right after the named statement of a
   * runtime transaction (`tl_rt_write_events`, `commit_events`, `commit_wakes`…) has run `count` times.
   * Never set in production.
   */
  killAfter?: { statement: string; count: number };
}

// Serialization failures, deadlocks, a wake's enrollment changed by an event meanwhile, and a
// connection that lost its prepared statements (prepared again on the retry).
const retryableCodes = new Set(['40001', '40P01', staleWriteCode, unpreparedCode]);
const isRetryable = (error: unknown) =>
  error instanceof EntryConflict ||
  retryableCodes.has(String((error as { code?: unknown } | null)?.code ?? ''));

/**
 * The live journey runtime of one process. Events reach it through `journey_inbox`, written in
 * the same statement as the events: the ingest path hands over the ids it just committed (the
 * fast path), and a sweep picks up what a crash or another process left behind. Timers reach it
 * as graphile-worker jobs (`journey_wake`), batched into shared transactions. Every decision
 * and its effects — enrollments, step log, outbox rows, wake jobs — commit in one transaction
 * with the removal of what caused them, so a crash at any point replays, never repeats.
 */
export class JourneyRuntime {
  readonly catalog: JourneyCatalog;
  readonly #pool: pg.Pool;
  readonly #options: RuntimeOptions;
  readonly #lanes: Lane[];
  #sweeping: Promise<void> | undefined;
  #sweeper: NodeJS.Timeout | undefined;
  #overdue: NodeJS.Timeout | undefined;
  #statements = 0;
  #sweeps = 0;
  #scheduledKey: string | undefined;
  #sweepWanted = false;
  #closed = false;
  readonly #lookups = new Map<string, { at: number; value: Promise<unknown> }>();
  readonly #wakes: GroupCommitter<WakeRequest, void>;
  readonly counts = {
    events: 0,
    entered: 0,
    resumed: 0,
    exited: 0,
    converted: 0,
    woken: 0,
    stale: 0,
    failed: 0,
  };

  constructor(options: RuntimeOptions) {
    this.#pool = options.pool;
    this.#options = options;
    this.catalog = new JourneyCatalog(options.pool, {
      ...(options.connection ? { connection: options.connection } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
    });
    this.#lanes = Array.from({ length: Math.max(1, Math.floor(options.lanes ?? 2)) }, () => ({
      pending: [],
      loop: undefined,
    }));
    this.#wakes = new GroupCommitter<WakeRequest, void>({
      write: (wakes) => this.#wakeGroup(wakes),
      sizeOf: () => 1,
      maxGroupSize: 500,
      maxInFlight: 2,
    });
  }

  get horizonMs(): number {
    return this.#options.horizonMs ?? 15 * 60_000;
  }

  async start(): Promise<void> {
    this.catalog.onChange(() => this.#ensureSchedules());
    await this.catalog.start();
    const every = this.#options.sweepIntervalMs ?? 1_000;
    this.#sweeper = setInterval(() => this.#kick(true), every);
    this.#sweeper.unref();
    const overdueAfter = this.#options.overdueAfterMs ?? 60_000;
    this.#overdue = setInterval(
      () => {
        requeueOverdue(this.#pool, overdueAfter)
          .then((requeued) => {
            if (requeued.waits + requeued.messages > 0) {
              this.#options.logger?.warn(requeued, 'overdue waits and messages queued again');
            }
          })
          .catch((error: unknown) => this.#options.logger?.warn({ err: error }, 'overdue check failed'));
      },
      Math.max(200, Math.min(overdueAfter / 2, 15_000)),
    );
    this.#overdue.unref();
    this.#kick(true);
  }

  /** The ingest path's question: should this event be written to the inbox? */
  isRelevant(workspaceId: string, event: string | null): boolean {
    return this.catalog.index.isRelevant(workspaceId, event);
  }

  /**
   * Inbox rows just committed by this process: run them now rather than at the next sweep.
   * `profileIds` (one per row) picks each row's lane; without them every row goes to the first.
   */
  routed(inboxIds: readonly string[], profileIds?: readonly string[]): void {
    if (inboxIds.length === 0 || this.#closed) return;
    const lanes = this.#lanes;
    inboxIds.forEach((id, i) => {
      const profileId = profileIds?.[i];
      (lanes[profileId === undefined ? 0 : laneOf(profileId, lanes.length)] as Lane).pending.push(id);
    });
    this.#kick();
  }

  /** A `journey_wake` job: resolves once the timer's effects are committed. */
  async wake(request: WakeRequest): Promise<void> {
    const result = await this.#wakes.submit(request);
    return result;
  }

  /** A `journey_schedule` job: enrolls who is due and schedules the next run. */
  async schedule(tick: ScheduleTick): Promise<{ entered: number }> {
    const result = await runScheduleTick(tick, {
      pool: this.#pool,
      index: this.catalog.index,
      horizonMs: this.horizonMs,
      now: () => this.#options.now?.() ?? new Date(),
      pageSize: this.#options.batchSize ?? 1_000,
      transaction: (work) => this.#transaction(work, () => 'commit_schedule'),
      decideOptions: (history) => this.#decideOptions(history),
      segment: (workspaceId, segmentId) => this.#segment(workspaceId, segmentId),
      warn: (object, message) => this.#options.logger?.warn(object, message),
    });
    this.counts.entered += result.entered;
    return result;
  }

  /**
   * Enrolls profiles into the live version of a journey: the entry hook of API and segment
   * triggers. `entry.key` names the cause (`api:<key>`, `segment:<change>`): the same key never
   * enrolls a profile twice. Returns how many entered; null when the journey is not live here.
   */
  async enrollProfiles(
    workspaceId: string,
    journeyId: string,
    profileIds: readonly string[],
    entry: DirectEntry,
  ): Promise<number | null> {
    let routed = this.catalog.index.current(workspaceId, journeyId);
    // Published a moment ago: this process may not have had the notification yet.
    if (routed?.journeyStatus !== 'live') {
      await this.catalog.reload();
      routed = this.catalog.index.current(workspaceId, journeyId);
    }
    if (routed?.journeyStatus !== 'live') return null;
    const entered = await enrollProfiles(
      {
        horizonMs: this.horizonMs,
        now: () => this.#options.now?.() ?? new Date(),
        transaction: (work) => this.#transaction(work, () => 'commit_entries'),
        decideOptions: (history) => this.#decideOptions(history),
      },
      routed,
      profileIds,
      entry,
    );
    this.counts.entered += entered;
    return entered;
  }

  /** Schedule jobs for journeys entered on a schedule, when the set of them has changed. */
  #ensureSchedules(): void {
    const scheduled = this.catalog.index.scheduled;
    const key = scheduled.map((v) => `${v.journeyId}@${v.version}`).join(',');
    if (key === this.#scheduledKey) return;
    this.#scheduledKey = key;
    ensureScheduleJobs(this.#pool, this.catalog.index, this.#options.now?.() ?? new Date()).catch(
      (error: unknown) => {
        this.#scheduledKey = undefined;
        this.#options.logger?.warn({ err: error }, 'could not schedule journey schedule triggers');
      },
    );
  }

  /** Moves far-future timers that are coming due into graphile-worker. */
  async promoteTimers(): Promise<number> {
    let total = 0;
    for (;;) {
      const moved = await promoteTimers(this.#pool, this.horizonMs);
      total += moved;
      if (moved < 10_000) return total;
    }
  }

  /** Runs every inbox row waiting now (tests, and shutdown). */
  async drain(): Promise<void> {
    await this.#idle();
    await this.#sweep(0);
    await this.#wakes.drain();
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#sweeper) clearInterval(this.#sweeper);
    if (this.#overdue) clearInterval(this.#overdue);
    await this.#idle();
    await this.#wakes.drain();
    await this.catalog.close();
  }

  /** Until no lane runs and no sweep either. */
  async #idle(): Promise<void> {
    for (;;) {
      const running = [...this.#lanes.map((lane) => lane.loop), this.#sweeping].filter(
        (loop): loop is Promise<void> => loop !== undefined,
      );
      if (running.length === 0) return;
      await Promise.all(running);
    }
  }

  /** Starts the lanes that have pending rows, and (when `sweep`: the timer, start-up) a sweep. */
  #kick(sweep = false): void {
    if (sweep) this.#sweepWanted = true;
    for (const lane of this.#lanes) if (lane.pending.length > 0) this.#run(lane);
    this.#maybeSweep();
  }

  #run(lane: Lane): void {
    if (lane.loop || this.#closed) return;
    lane.loop = (async () => {
      try {
        while (lane.pending.length > 0) {
          const ids = lane.pending.splice(0, this.#options.batchSize ?? 1_000);
          await this.#process({ ids });
        }
      } catch (error) {
        this.#options.logger?.error({ err: error }, 'journey runtime loop failed');
      } finally {
        lane.loop = undefined;
        if (lane.pending.length > 0 && !this.#closed) this.#run(lane);
        else this.#maybeSweep();
      }
    })();
  }

  /**
   * Rows left behind (a crash, another process) are swept only while no lane has rows waiting:
   * a row of this process still queued in a lane may be older than the sweep's second, and
   * swept it could be decided before an earlier event of the same person. Rows a lane has
   * claimed are locked, and the sweep skips them. Handed-over rows do not sweep: a sweep is a
   * transaction of its own, and run after every hand-off it held up the events that came in.
   */
  #maybeSweep(): void {
    if (!this.#sweepWanted || this.#sweeping || this.#closed) return;
    if (this.#lanes.some((lane) => lane.pending.length > 0)) return;
    this.#sweepWanted = false;
    this.#sweeping = this.#sweep(1_000)
      .catch((error: unknown) => this.#options.logger?.error({ err: error }, 'journey inbox sweep failed'))
      .finally(() => {
        this.#sweeping = undefined;
        if (this.#sweepWanted) this.#maybeSweep();
      });
  }

  async #sweep(olderThanMs: number): Promise<void> {
    const limit = this.#options.batchSize ?? 1_000;
    for (;;) {
      const claimed = await this.#process({ olderThanMs, limit });
      if (claimed < limit || this.#closed) return;
    }
  }

  /** One transaction over claimed inbox rows; returns how many were claimed. */
  async #process(
    claim: { ids: readonly string[] } | { olderThanMs: number; limit: number },
    history: Array<{ journeyId: string; profileId: string }> = [],
  ): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      let claimed: InboxEvent[] = [];
      try {
        const result = await this.#transaction(
          async (client, tx) => {
            claimed = await beginClaimInbox(client, claim);
            if (claimed.length === 0) return null;
            this.#maybeDie('ids' in claim ? 'tl_rt_claim_ids' : 'tl_rt_claim_old');
            const counts: DecideCounts = { entered: 0, resumed: 0, exited: 0, converted: 0 };
            const groups = [...byWorkspace(claimed)];
            for (const [i, [workspaceId, events]] of groups.entries()) {
              const now = this.#options.now?.() ?? new Date();
              const last = i === groups.length - 1;
              const decided = await decideEvents(client, workspaceId, events, this.#decideOptions(history));
              // The last workspace's write deletes the claimed rows and commits, in one round trip.
              await this.#write(client, tx, decided.effects, {
                horizonMs: this.horizonMs,
                now,
                statement: 'tl_rt_write_events',
                commit: last,
                ...(last ? { inboxIds: claimed.map((e) => e.inboxId) } : {}),
              });
              for (const key of Object.keys(counts) as Array<keyof DecideCounts>)
                counts[key] += decided.counts[key];
            }
            return counts;
          },
          (counts) => (counts ? 'commit_events' : 'commit_empty'),
          { begins: true },
        );
        if (result) {
          this.counts.events += claimed.length;
          for (const key of Object.keys(result) as Array<keyof DecideCounts>) this.counts[key] += result[key];
        }
        return claimed.length;
      } catch (error) {
        if (error instanceof EntryConflict) history.push(...error.pairs);
        if (isRetryable(error) && attempt < 6) continue;
        if (claimed.length > 1) {
          // One bad event must not hold up the rest: run them one by one.
          this.#options.logger?.warn(
            { err: error, events: claimed.length },
            'journey batch failed; splitting',
          );
          for (const event of claimed) await this.#process({ ids: [event.inboxId] });
          return claimed.length;
        }
        if (claimed.length === 1) {
          this.counts.failed++;
          const event = claimed[0] as InboxEvent;
          this.#options.logger?.error(
            { err: error, messageId: event.fact.messageId },
            'journey runtime could not process an event; it stays in the inbox',
          );
          await recordInboxFailure(this.#pool, event.inboxId, String((error as Error)?.message ?? error));
          return 1;
        }
        throw error;
      }
    }
  }

  /** Whether this process's wake sweep runs: it takes due `journey_timers` rows itself. */
  get sweepsTimers(): boolean {
    return this.#sweeps > 0;
  }

  /**
   * Runs due waits straight off `journey_timers` and graphile-worker's queue (`journey_wake`
   * jobs), up to `batchSize` per transaction, on `lanes` connections: the rows and jobs are
   * deleted in the transaction that commits their effects. The worker of this process starts it
   * (and then leaves `journey_wake` to it, and far-future timers too: they need no promotion);
   * the returned function stops it.
   */
  startWakeSweep(
    options: { intervalMs?: number; batchSize?: number; lanes?: number } = {},
  ): () => Promise<void> {
    const intervalMs = options.intervalMs ?? 100;
    const batchSize = options.batchSize ?? 1_000;
    let stopped = false;
    this.#sweeps++;
    const { sleep, wakeAll } = interruptibleSleep();
    // Shared by the lanes: where the timers not yet taken begin.
    const floor = new WakeFloor();
    // While nothing is due, a lane polls with one probe outside any transaction.
    const loop = async () => {
      let taken = 0;
      while (!stopped && !this.#closed) {
        try {
          taken =
            taken === 0 && !(await hasDueWakes(this.#pool, floor.value))
              ? 0
              : await this.#wakeBatch({ limit: batchSize }, floor);
        } catch (error) {
          taken = 0;
          this.#options.logger?.warn({ err: error }, 'journey wake sweep failed');
        }
        if (taken < batchSize && !stopped) await sleep(intervalMs);
      }
    };
    const loops = Array.from({ length: Math.max(1, options.lanes ?? 4) }, () => loop());
    return async () => {
      stopped = true;
      wakeAll();
      await Promise.all(loops);
      this.#sweeps--;
    };
  }

  /**
   * One transaction over due waits; returns how many were taken. A batch that fails is run
   * again one wait per transaction, and a wait that fails alone is recorded as a failed job with
   * graphile-worker's backoff (tried again later, up to its `max_attempts`), so one bad timer
   * holds up no other.
   */
  async #wakeBatch(claim: WakeClaim, floor?: WakeFloor): Promise<number> {
    let taken: DueWake[] = [];
    for (let attempt = 1; ; attempt++) {
      try {
        const counted = await this.#transaction(
          async (client, tx) => {
            taken = await claimDueWakes(
              client,
              'limit' in claim && floor ? { ...claim, from: floor.value } : claim,
            );
            if (taken.some((t) => !isWake(t.wake)))
              throw new Error('a journey_wake job has a malformed payload');
            return this.#writeWakes(
              client,
              tx,
              taken.map((t) => t.wake),
            );
          },
          () => (taken.length > 0 ? 'commit_wakes' : 'commit_empty'),
        );
        this.#countWakes(counted);
        floor?.advance(taken);
        return taken.length;
      } catch (error) {
        // What this claim took is back in the table, below the floor perhaps.
        floor?.drop();
        if (isRetryable(error) && attempt < 6) continue;
        if (taken.length > 1) {
          this.#options.logger?.warn(
            { err: error, wakes: taken.length },
            'journey wake batch failed; splitting',
          );
          for (const t of taken)
            await this.#wakeBatch(t.jobId === null ? { timers: [t.wake] } : { jobIds: [t.jobId] });
          return taken.length;
        }
        const job = taken[0];
        if (!job) throw error;
        this.counts.failed++;
        const message = String((error as Error)?.message ?? error);
        this.#options.logger?.error(
          { err: error, jobId: job.jobId, enrollmentId: job.wake.enrollmentId },
          'a journey wake failed; retried later',
        );
        if (job.jobId === null) await failTimer(this.#pool, job.wake, message);
        else await failWakeJob(this.#pool, job.jobId, message);
        return 1;
      }
    }
  }

  async #wakeGroup(wakes: readonly WakeRequest[]): Promise<Array<undefined | SubmissionFailed>> {
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          this.#countWakes(
            await this.#transaction(
              (client, tx) => this.#writeWakes(client, tx, wakes),
              () => 'commit_wakes',
            ),
          );
          return wakes.map(() => undefined);
        } catch (error) {
          if (isRetryable(error) && attempt < 6) continue;
          throw error;
        }
      }
    } catch (error) {
      if (wakes.length === 1) return [new SubmissionFailed(error)];
      // Isolate the failing timer: the others commit; its job is retried by graphile-worker.
      const results: Array<undefined | SubmissionFailed> = [];
      for (const wake of wakes) results.push(...(await this.#wakeGroup([wake])));
      return results;
    }
  }

  /**
   * Writes a decision's effects; a write with `commit` ends the transaction (the transaction
   * helper then sends no commit of its own). The statement names the kill point after it.
   */
  async #write(
    client: pg.PoolClient,
    tx: TransactionState,
    effects: Effects,
    options: WriteOptions & { statement: NonNullable<WriteOptions['statement']> },
  ): Promise<void> {
    await writeEffects(client, effects, options);
    if (options.commit) tx.ended = true;
    this.#maybeDie(options.statement);
  }

  /**
   * Decides due waits and writes their effects; the last workspace's write commits. Returns what
   * it counted, for the caller to add once the transaction has committed (a retried transaction
   * would count its wakes twice).
   */
  async #writeWakes(
    client: pg.PoolClient,
    tx: TransactionState,
    wakes: readonly WakeRequest[],
  ): Promise<{ woken: number; stale: number }> {
    const counted = { woken: 0, stale: 0 };
    const groups = [...byWorkspace(wakes)];
    for (const [i, [workspaceId, group]] of groups.entries()) {
      const now = this.#options.now?.() ?? new Date();
      const last = i === groups.length - 1;
      const decided = await decideWakes(client, workspaceId, group, this.#decideOptions([]));
      await this.#write(client, tx, decided.effects, {
        horizonMs: this.horizonMs,
        now,
        statement: 'tl_rt_write_wakes',
        commit: last,
      });
      counted.woken += decided.fired;
      counted.stale += decided.stale;
    }
    return counted;
  }

  #countWakes(counted: { woken: number; stale: number }): void {
    this.counts.woken += counted.woken;
    this.counts.stale += counted.stale;
  }

  #decideOptions(history: ReadonlyArray<{ journeyId: string; profileId: string }>) {
    return {
      index: this.catalog.index,
      ...(this.#options.registry ? { registry: this.#options.registry } : {}),
      ...(this.#options.now ? { now: this.#options.now } : {}),
      segments: (workspaceId: string, segmentId: string) => this.#segment(workspaceId, segmentId),
      messaging: (workspaceId: string) => this.#messaging(workspaceId),
      history,
    };
  }

  /** Read at most every 30 s: definitions and settings change rarely, events come by thousands. */
  #cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const cached = this.#lookups.get(key);
    if (cached && Date.now() - cached.at < 30_000) return cached.value as Promise<T>;
    const value = load();
    value.catch(() => this.#lookups.delete(key));
    this.#lookups.set(key, { at: Date.now(), value });
    return value;
  }

  #segment(workspaceId: string, segmentId: string): Promise<unknown> {
    return this.#cached(`segment:${workspaceId}:${segmentId}`, () =>
      this.#pool
        .query<{ definition: unknown }>(
          'select definition from segments where workspace_id = $1 and id::text = $2',
          [workspaceId, segmentId],
        )
        .then((r) => r.rows[0]?.definition),
    );
  }

  #messaging(workspaceId: string): Promise<WorkspaceMessaging> {
    return this.#cached(`messaging:${workspaceId}`, () =>
      this.#pool
        .query<{ messaging: unknown }>(
          "select settings->'messaging' as messaging from workspaces where id = $1",
          [workspaceId],
        )
        .then((r) => messagingPolicyOf(r.rows[0]?.messaging)),
    );
  }

  #maybeDie(statement: string): void {
    const fault = this.#options.killAfter;
    if (fault && statement === fault.statement && ++this.#statements >= fault.count) {
      process.kill(process.pid, 'SIGKILL');
    }
  }

  #faulty(client: pg.PoolClient): pg.PoolClient {
    const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
    return new Proxy(client, {
      get: (target, property, receiver) => {
        if (property !== 'query') return Reflect.get(target, property, receiver);
        return async (...args: unknown[]) => {
          const result = await query(...args);
          const name = (args[0] as { name?: string } | null)?.name;
          if (name) this.#maybeDie(name);
          return result;
        };
      },
    });
  }

  /**
   * Runs `work` in a transaction. `commitName` names the commit for fault injection
   * (`commit_events`, `commit_wakes`). With `begins`, the work's first statement begins the
   * transaction; a work that commits in its last write says so in `tx.ended`, and this sends no
   * commit of its own.
   */
  async #transaction<T>(
    work: (client: pg.PoolClient, tx: TransactionState) => Promise<T>,
    commitName: (result: T) => string = () => 'commit',
    options: { begins?: boolean } = {},
  ): Promise<T> {
    const client = await this.#pool.connect();
    let broken: Error | undefined;
    const target = this.#options.killAfter ? this.#faulty(client) : client;
    const tx: TransactionState = { ended: false };
    try {
      if (!options.begins) await target.query('begin');
      const result = await work(target, tx);
      if (!tx.ended) await target.query('commit');
      if (this.#options.killAfter) this.#maybeDie(commitName(result));
      return result;
    } catch (error) {
      // Also when the failed statement was the one beginning it: `begin` may have run before it.
      if (!tx.ended) {
        await client.query('rollback').catch((rollbackError: Error) => {
          broken = rollbackError;
        });
      }
      throw error;
    } finally {
      client.release(broken);
    }
  }
}

/** Where a runtime transaction is, for the work that begins or ends it in its own statements. */
interface TransactionState {
  ended: boolean;
}

/** Handed-over inbox rows waiting for a lane, and the loop running them. */
interface Lane {
  readonly pending: string[];
  loop: Promise<void> | undefined;
}

/** A profile's lane: from the last hex digits of its (random) id. */
function laneOf(profileId: string, lanes: number): number {
  if (lanes === 1) return 0;
  const n = Number.parseInt(profileId.slice(-6), 16);
  return Number.isNaN(n) ? 0 : n % lanes;
}

function isWake(wake: WakeRequest): boolean {
  return (
    typeof wake.workspaceId === 'string' &&
    typeof wake.enrollmentId === 'string' &&
    typeof wake.nodeId === 'string' &&
    Number.isInteger(wake.visit)
  );
}

function byWorkspace<T extends { workspaceId: string }>(items: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(item.workspaceId);
    if (group) group.push(item);
    else groups.set(item.workspaceId, [item]);
  }
  return groups;
}

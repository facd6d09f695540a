import { setImmediate } from 'node:timers/promises';
import { PermanentDeliveryError, RetryableDeliveryError, TemplateError } from '@touchline/channels';
import {
  type Db,
  type DeliverableMessage,
  type DeliverableMessageRow,
  toDeliverableMessage,
} from '@touchline/db';
import { interruptibleSleep } from '@touchline/runtime';
import type pg from 'pg';
import { type Prepared, prepare } from './deliver-message.js';
import type { Delivery } from './delivery.js';
import { rateLimitOf } from './pacing.js';

/**
 * The delivery sweep: queued messages are found in the outbox by their due time
 * (`messages.due_at`, written by the runtime with the row) instead of one graphile-worker job
 * per message, and delivered many per transaction.
 *
 * A lane's transaction locks up to `batchSize` due messages (`for update skip locked`, so lanes
 * and processes never take the same one), renders them, hands them to an idempotent adapter
 * (the sandbox, in-app, an HTTP provider configured `"idempotent": true`) and marks them in one
 * statement before it commits. A crash before the commit leaves them queued and due, and the
 * next sweep hands them over again with the same idempotency key: delivered once, as with the
 * job's unclaimed path (docs/messages.md). A retryable failure moves the due time by
 * graphile-worker's backoff (exp(attempt) seconds, or the provider's `Retry-After`); after
 * `maxAttempts` it is `failed`.
 *
 * What needs more than that goes to a `message_deliver` job, in the same statement that clears
 * its due time (a message has a due time or a job, never both): adapters that claim before the
 * hand-off (SMTP, webhooks: at most once), webhook sends (an enrollment may wait on the answer),
 * channels with a rate limit (pacing reserves slots per job), test sends, and a batch whose
 * transaction failed (so that one bad row cannot stop the sweep).
 */

export interface DeliverySweepLogger {
  warn(object: object, message: string): void;
}

export interface DeliverySweepOptions {
  db: Db;
  pool: pg.Pool;
  delivery: Delivery;
  /** Sweep transactions in flight at once; 2. */
  lanes?: number;
  /** Messages per transaction at most; 500. */
  batchSize?: number;
  /** How often an idle lane looks for due messages; 100 ms. */
  idleMs?: number;
  /** Adapter hand-offs in flight per transaction; 64. */
  sendConcurrency?: number;
  logger?: DeliverySweepLogger;
  /**
   * Fault injection for crash tests: SIGKILL this process right after the sweep's write
   * (`tl_dl_sweep_write`, before its commit) or its commit (`commit_deliveries`) has run `count`
   * times. Never set in production.
   */
  killAfter?: { statement: string; count: number } | undefined;
}

const claimText = `
  select m.workspace_id, m.id, m.idempotency_key, m.channel, m.status, m.template_id,
         coalesce(m.template_version, t.current_version) as template_version, m.content, m.delivery_attempts,
         p.user_id, p.email, p.phone, p.push_tokens, p.timezone, p.locale, p.traits, p.computed,
         p.orders_count, p.lifetime_value, p.last_order_at
    from messages m
    left join profiles p on p.workspace_id = m.workspace_id and p.id = m.profile_id
    left join templates t on t.workspace_id = m.workspace_id and t.id = m.template_id
   where m.ctid = any(array(select ctid from messages
                             where status = 'queued' and due_at <= now()
                             order by due_at
                             limit $1
                               for update skip locked))`;

/** What the sweep does with one message, written for the whole batch in one statement. */
type Outcome =
  | { k: 'sent'; p: string; v: number | null; r: Record<string, unknown>; a: string }
  | { k: 'failed'; e: string }
  | { k: 'retry'; e: string; d: number }
  | { k: 'job' };

/** graphile-worker's backoff, which the job path retries with: exp(attempt) seconds. */
export const retryDelayMs = (attempt: number): number => Math.exp(Math.min(10, attempt)) * 1000;

async function outcomeOf(db: Db, delivery: Delivery, message: DeliverableMessage): Promise<Outcome> {
  // Test sends name their recipient and run as jobs; a webhook send may have an enrollment
  // waiting on its answer (resumed by the job path).
  if (message.channel === 'webhook' || message.content.test === true) return { k: 'job' };
  let prepared: Prepared;
  try {
    const adapter = await delivery.adapters.forChannel(db, message.workspaceId, message.channel);
    if (adapter?.idempotent !== true) return { k: 'job' };
    if ((await rateLimitOf(db, message.workspaceId, message.channel)) !== undefined) return { k: 'job' };
    prepared = await prepare(db, delivery, message);
  } catch (error) {
    if (error instanceof TemplateError || error instanceof PermanentDeliveryError) {
      return { k: 'failed', e: error.message };
    }
    // Settings that do not decrypt, a read that failed: the job retries it and says why.
    return { k: 'job' };
  }
  if (prepared.adapter.idempotent !== true) return { k: 'job' };
  const attempt = message.deliveryAttempts + 1;
  try {
    const { providerId } = await prepared.adapter.send(prepared.outbound);
    return {
      k: 'sent',
      p: providerId,
      v: prepared.templateVersion,
      r: prepared.rendered,
      a: prepared.adapter.name,
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (error instanceof PermanentDeliveryError) return { k: 'failed', e: reason };
    if (attempt >= delivery.maxAttempts) {
      return { k: 'failed', e: `${reason} (gave up after ${attempt} attempts)` };
    }
    const after =
      error instanceof RetryableDeliveryError && error.retryAfterMs !== undefined
        ? error.retryAfterMs
        : retryDelayMs(attempt);
    return { k: 'retry', e: `attempt ${attempt}: ${reason}`, d: after };
  }
}

/**
 * One statement for the batch: sent (status, provider id, what was rendered, the attempt),
 * failed, due again later (a retry), or handed to a job (due time cleared, job added).
 */
const writeText = `
  with x as (
    select * from json_to_recordset($1::json)
      as x(w uuid, id uuid, k text, p text, v int, r jsonb, a text, e text, d float8)
  ),
  u as (
    update messages m
       set status = case x.k when 'sent' then 'sent' when 'failed' then 'failed' else 'queued' end,
           due_at = case when x.k = 'retry' then now() + make_interval(secs => x.d / 1000) end,
           provider_id = case when x.k = 'sent' then x.p else m.provider_id end,
           template_version = case when x.k = 'sent' then x.v else m.template_version end,
           content = case when x.k = 'sent' then m.content || jsonb_build_object('rendered', x.r) else m.content end,
           error = case x.k when 'sent' then null when 'job' then m.error else x.e end,
           sent_at = case when x.k = 'sent' then now() else m.sent_at end,
           adapter = coalesce(x.a, m.adapter),
           delivery_attempts = m.delivery_attempts + case when x.k in ('sent', 'retry') then 1 else 0 end,
           updated_at = now()
      from x
     where m.workspace_id = x.w and m.id = x.id and m.status = 'queued'
    returning m.workspace_id, m.id, x.k
  )
  select graphile_worker.add_jobs(array(
           select row('message_deliver', json_build_object('workspaceId', workspace_id, 'messageId', id), null,
                      now(), null, 'deliver:' || id, null, null)::graphile_worker.job_spec
             from u where k = 'job'))
   where exists (select 1 from u where k = 'job')`;

const handToJobsText = `
  with u as (
    update messages m set due_at = null, updated_at = now()
      from json_to_recordset($1::json) as x(w uuid, id uuid)
     where m.workspace_id = x.w and m.id = x.id and m.status = 'queued' and m.due_at is not null
    returning m.workspace_id, m.id
  )
  select graphile_worker.add_jobs(array(
           select row('message_deliver', json_build_object('workspaceId', workspace_id, 'messageId', id), null,
                      now(), null, 'deliver:' || id, null, null)::graphile_worker.job_spec from u))
   where exists (select 1 from u)`;

async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  run: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await run(items[i] as T);
      // Rendering a message settles in microtasks when its template and adapter are cached: without
      // a turn of the event loop between messages, a batch of hundreds would hold up every request
      // (ingestion, the API) for as long as the whole batch takes to render.
      await setImmediate();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * One sweep transaction: returns how many due messages it took (0: none due). A failure rolls
 * the batch back and hands its messages to jobs, then throws.
 */
export async function sweepDueMessages(
  options: Pick<DeliverySweepOptions, 'db' | 'pool' | 'delivery' | 'batchSize' | 'sendConcurrency'> & {
    /** Called after each named step (fault injection). */
    after?: (step: string) => void;
  },
): Promise<number> {
  const { db, pool, delivery } = options;
  const client = await pool.connect();
  let claimed: DeliverableMessage[] = [];
  try {
    await client.query('begin');
    const { rows } = await client.query<DeliverableMessageRow>({
      name: 'tl_dl_sweep_claim',
      text: claimText,
      values: [options.batchSize ?? 500],
    });
    claimed = rows.map(toDeliverableMessage);
    if (claimed.length > 0) {
      const outcomes = await mapLimit(claimed, options.sendConcurrency ?? 64, (m) =>
        outcomeOf(db, delivery, m),
      );
      await client.query({
        name: 'tl_dl_sweep_write',
        text: writeText,
        values: [
          JSON.stringify(
            claimed.map((m, i) => ({ w: m.workspaceId, id: m.id, ...(outcomes[i] as Outcome) })),
          ),
        ],
      });
      options.after?.('tl_dl_sweep_write');
    }
    await client.query('commit');
    if (claimed.length > 0) options.after?.('commit_deliveries');
    return claimed.length;
  } catch (error) {
    await client.query('rollback').catch(() => {});
    if (claimed.length > 0) {
      await pool
        .query({
          name: 'tl_dl_sweep_to_jobs',
          text: handToJobsText,
          values: [JSON.stringify(claimed.map((m) => ({ w: m.workspaceId, id: m.id })))],
        })
        .catch(() => {});
    }
    throw error;
  } finally {
    client.release();
  }
}

/** Whether any queued message is due: the idle lanes' probe, one index lookup. */
async function anyDue(pool: pg.Pool): Promise<boolean> {
  const { rowCount } = await pool.query({
    name: 'tl_dl_sweep_probe',
    text: `select 1 from messages where status = 'queued' and due_at <= now() limit 1`,
  });
  return (rowCount ?? 0) > 0;
}

/** Starts the sweep's lanes; the function returned stops them once their transactions end. */
export function startDeliverySweep(options: DeliverySweepOptions): () => Promise<void> {
  const batchSize = options.batchSize ?? 500;
  const idleMs = options.idleMs ?? 100;
  let stopped = false;
  let faults = 0;
  const fault = options.killAfter;
  const after = fault
    ? (step: string) => {
        if (step === fault.statement && ++faults >= fault.count) process.kill(process.pid, 'SIGKILL');
      }
    : undefined;
  const { sleep: pause, wakeAll } = interruptibleSleep();
  const lane = async () => {
    let idle = true;
    while (!stopped) {
      try {
        if (idle && !(await anyDue(options.pool))) {
          await pause(idleMs);
          continue;
        }
        const taken = await sweepDueMessages({ ...options, batchSize, ...(after ? { after } : {}) });
        idle = taken < batchSize;
        if (idle) await pause(idleMs);
      } catch (error) {
        if (stopped) return;
        options.logger?.warn({ err: error }, 'delivery sweep failed; its messages were handed to jobs');
        idle = true;
        await pause(Math.max(idleMs, 1_000));
      }
    }
  };
  const lanes = Array.from({ length: options.lanes ?? 2 }, lane);
  return async () => {
    stopped = true;
    wakeAll();
    await Promise.all(lanes);
  };
}

import { type Db, GroupCommitter } from '@touchline/db';
import { sql } from 'kysely';

/**
 * Delivery pacing against a workspace's `settings.messaging.rateLimits` (`{ email: { perSecond:
 * 50 } }`): deliveries beyond the rate are rescheduled, never dropped. Every worker shares one
 * virtual schedule per workspace and channel in PostgreSQL (`delivery_pacing.next_at`): each
 * delivery takes the next slot, 1/perSecond after the one before, and a delivery whose slot lies
 * ahead gets a new job at it (`deliver:<id>`, the running one ends) with the slot kept on the
 * message, so the job that runs then sends without taking another. The reservations of the
 * deliveries running at once are one statement.
 */

export interface PacingRequest {
  workspaceId: string;
  messageId: string;
  channel: string;
  perSecond: number;
}

const settingsTtlMs = 30_000;

interface Pacing {
  /** The slot reserved for the message when it lies ahead (its job is due then); null: send now. */
  reserve(request: PacingRequest): Promise<Date | null>;
  /** The workspace's deliveries per second on the channel; undefined when unlimited. */
  limitOf(workspaceId: string, channel: string): Promise<number | undefined>;
}

const pacingByDb = new WeakMap<Db, Pacing>();

function pacingOf(db: Db): Pacing {
  let pacing = pacingByDb.get(db);
  if (!pacing) {
    const reservations = new GroupCommitter<PacingRequest, Date | null>({
      write: (items) => reserveSlots(db, items),
      sizeOf: () => 1,
      maxGroupSize: 500,
      maxInFlight: 2,
    });
    // Settings change rarely and deliveries come by thousands: read at most every 30 s.
    const limits = new Map<string, { at: number; value: Promise<Record<string, number>> }>();
    const limitsOf = (workspaceId: string) => {
      const cached = limits.get(workspaceId);
      if (cached && Date.now() - cached.at < settingsTtlMs) return cached.value;
      const value = readRateLimits(db, workspaceId);
      value.catch(() => limits.delete(workspaceId));
      limits.set(workspaceId, { at: Date.now(), value });
      return value;
    };
    pacing = {
      reserve: (request) => reservations.submit(request),
      limitOf: async (workspaceId, channel) => (await limitsOf(workspaceId))[channel],
    };
    pacingByDb.set(db, pacing);
  }
  return pacing;
}

/**
 * Where a queued message stands against its workspace's rate limit: null to send it now, or the
 * time its delivery job was moved to. Costs nothing for a channel without a limit.
 */
export async function pacedSlot(
  db: Db,
  message: { workspaceId: string; id: string; channel: string },
): Promise<Date | null> {
  const pacing = pacingOf(db);
  const perSecond = await pacing.limitOf(message.workspaceId, message.channel);
  if (perSecond === undefined) return null;
  return pacing.reserve({
    workspaceId: message.workspaceId,
    messageId: message.id,
    channel: message.channel,
    perSecond,
  });
}

/** The workspace's deliveries per second on the channel (cached for 30 s); undefined when unlimited. */
export function rateLimitOf(db: Db, workspaceId: string, channel: string): Promise<number | undefined> {
  return pacingOf(db).limitOf(workspaceId, channel);
}

async function readRateLimits(db: Db, workspaceId: string): Promise<Record<string, number>> {
  const { rows } = await sql<{ limits: Record<string, { perSecond?: unknown }> | null }>`
    select settings->'messaging'->'rateLimits' as limits from workspaces where id = ${workspaceId}`.execute(
    db,
  );
  const limits: Record<string, number> = {};
  for (const [channel, limit] of Object.entries(rows[0]?.limits ?? {})) {
    if (typeof limit?.perSecond === 'number' && limit.perSecond > 0) limits[channel] = limit.perSecond;
  }
  return limits;
}

/**
 * One statement for a group: a message that already holds a slot keeps it; the others of each
 * workspace and channel take the next k slots at once (the schedule moves k/perSecond forward
 * from itself, or from now when it lies behind); those whose slot lies ahead keep it on the
 * message and get their job moved to it.
 */
async function reserveSlots(db: Db, items: readonly PacingRequest[]): Promise<Array<Date | null>> {
  const { rows } = await sql<{ id: string; at: Date; ahead: boolean }>`
    with x as (
      select distinct on (w, id) * from json_to_recordset(${JSON.stringify(
        items.map((i) => ({ w: i.workspaceId, id: i.messageId, ch: i.channel, ps: i.perSecond })),
      )}::json) as x(w uuid, id uuid, ch text, ps float8)
    ),
    held as (
      select x.w, x.id, m.paced_until as at from x
        join messages m on m.workspace_id = x.w and m.id = x.id
       where m.paced_until is not null
    ),
    fresh as (
      select x.*, row_number() over (partition by x.w, x.ch order by x.id) - 1 as n
        from x where not exists (select 1 from held h where h.w = x.w and h.id = x.id)
    ),
    lanes as (
      select w, ch, max(ps) as ps, count(*) as k from fresh group by w, ch
    ),
    moved as (
      insert into delivery_pacing as p (workspace_id, channel, next_at)
      select w, ch, now() + make_interval(secs => k / ps) from lanes
      on conflict (workspace_id, channel) do update
        set next_at = greatest(p.next_at, now()) + (excluded.next_at - now())
      returning p.workspace_id as w, p.channel as ch, p.next_at
    ),
    slots as (
      select f.w, f.id, m.next_at - make_interval(secs => (l.k - f.n) / l.ps) as at
        from fresh f
        join lanes l on l.w = f.w and l.ch = f.ch
        join moved m on m.w = f.w and m.ch = f.ch
    ),
    kept as (
      update messages m set paced_until = s.at from slots s
       where m.workspace_id = s.w and m.id = s.id and s.at > now()
      returning m.id
    ),
    reserved as (
      select w, id, at from held union all select w, id, at from slots
    ),
    jobs as (
      select graphile_worker.add_jobs(array(
        select row('message_deliver', json_build_object('workspaceId', w, 'messageId', id), null, at, null,
                   'deliver:' || id, null, null)::graphile_worker.job_spec
          from reserved where at > now()))
       where exists (select 1 from reserved where at > now())
    )
    select r.id, r.at, r.at > now() as ahead
      from reserved r
     where (select count(*) from kept) >= 0 and (select count(*) from jobs) >= 0`.execute(db);
  const byId = new Map(rows.map((r) => [r.id, r.ahead ? r.at : null]));
  return items.map((item) => byId.get(item.messageId) ?? null);
}

import type pg from 'pg';
import type { Effects, StepRow, WakeRow } from './effects.js';
import {
  type EnrollmentContext,
  type EnrollmentState,
  type EnrollmentStatus,
  type StoredWait,
  stepKey,
  wakeJobKey,
} from './enrollment.js';
import type { EventFact, ProfileSource } from './facts.js';
import type { RoutedVersion } from './routing.js';
import { bigintArray, execute, int, runPrepared, text, uuid, uuidArray, type WireStatement } from './wire.js';

/**
 * The runtime's SQL. Reads lock what they will change (enrollments `for update`, in id order so
 * concurrent transactions wait instead of deadlocking); writes are set-based, one statement per
 * kind of change, whatever the number of rows.
 */

export interface InboxEvent {
  readonly inboxId: string;
  readonly workspaceId: string;
  readonly profileId: string;
  readonly fact: EventFact;
  /** The profile as the claim read it (one round trip less); absent when it was not read. */
  readonly profile?: ProfileRow;
}

export type ProfileRow = ProfileSource & { id: string };

interface InboxRow {
  inbox_id: string;
  workspace_id: string;
  profile_id: string;
  message_id: string;
  type: string;
  event: string | null;
  user_id: string | null;
  anonymous_id: string | null;
  properties: Record<string, unknown>;
  context: Record<string, unknown>;
  timestamp: Date;
  /** The profile's columns, `p_`-prefixed; `p_id` null when the profile is gone (merged, deleted). */
  [profileColumn: `p_${string}`]: unknown;
}

/** The profile columns conditions and send guards read, in `loadProfiles` and the inbox claim. */
const profileFields = [
  'user_id',
  'traits',
  'computed',
  'email',
  'phone',
  'push_tokens',
  'timezone',
  'locale',
  'orders_count',
  'lifetime_value',
  'last_order_at',
  'first_seen_at',
  'last_seen_at',
  'rfm_recency',
  'rfm_frequency',
  'rfm_monetary',
  'suppressed_channels',
] as const;

/** Selects a profile's fields from `alias`, each named `prefix` + field. */
function profileColumns(alias: string, prefix: string): string {
  const plain = profileFields
    .filter((f) => f !== 'suppressed_channels')
    .map((f) => `${alias}.${f} as ${prefix}${f}`)
    .join(', ');
  // The send guards' suppression list: one primary-key probe per address the profile has.
  const suppressed = `array(select s.channel from suppressions s
           where s.workspace_id = ${alias}.workspace_id
             and (s.channel, s.address) in (('email', touchline_address('email', ${alias}.email)),
                                            ('sms', touchline_address('sms', ${alias}.phone)),
                                            ('whatsapp', touchline_address('whatsapp', ${alias}.phone)))
         ) as ${prefix}suppressed_channels`;
  return `${alias}.id as ${prefix}id, ${plain}, ${suppressed}`;
}

/** The profile of a row selected with `profileColumns(…, 'p_')`; undefined when there was none. */
function profileOf(row: Record<`p_${string}`, unknown>): ProfileRow | undefined {
  if (typeof row.p_id !== 'string') return undefined;
  const profile: Record<string, unknown> = { id: row.p_id };
  for (const [field, column] of prefixedFields) profile[field] = row[column];
  return profile as unknown as ProfileRow;
}

const prefixedFields = profileFields.map((f) => [f, `p_${f}` as const] as const);

function toInboxEvent(row: InboxRow): InboxEvent {
  const profile = profileOf(row);
  return {
    ...(profile ? { profile } : {}),
    inboxId: row.inbox_id,
    workspaceId: row.workspace_id,
    profileId: row.profile_id,
    fact: {
      messageId: row.message_id,
      type: row.type,
      event: row.event,
      userId: row.user_id,
      anonymousId: row.anonymous_id,
      properties: row.properties,
      context: row.context,
      timestamp: row.timestamp.toISOString(),
    },
  };
}

const inboxColumns = `i.id::text as inbox_id, i.workspace_id, e.profile_id, e.message_id, e.type, e.event,
  e.user_id, e.anonymous_id, e.properties, e.context, e.timestamp, ${profileColumns('p', 'p_')}`;

/** An inbox row with its event and the event's profile (gone when merged or deleted). */
const inboxFrom = `from journey_inbox i
           join events e on e.workspace_id = i.workspace_id and e.id = i.event_id
           left join profiles p on p.workspace_id = e.workspace_id and p.id = e.profile_id`;

const claimIdsStatement: WireStatement = {
  name: 'tlw_claim_ids',
  types: ['bigint[]'],
  text: `select ${inboxColumns} ${inboxFrom}
          where i.id = any($1::bigint[])
          order by i.id
            for update of i skip locked`,
};

const claimOldStatement: WireStatement = {
  name: 'tlw_claim_old',
  types: ['float8', 'int'],
  text: `select ${inboxColumns} ${inboxFrom}
          where i.created_at < now() - make_interval(secs => $1::float8 / 1000) and i.attempts < 5
          order by i.id
          limit $2
            for update of i skip locked`,
};

/**
 * Begins the caller's transaction and claims inbox rows for it, in one round trip: the given
 * ids (just committed by this process), or the oldest left behind (by a crash, or by another
 * process that is slow). Rows another transaction holds are skipped; claimed rows are deleted
 * when the transaction commits.
 */
export async function beginClaimInbox(
  client: pg.PoolClient,
  claim: { ids: readonly string[] } | { olderThanMs: number; limit: number },
): Promise<InboxEvent[]> {
  const claimed =
    'ids' in claim
      ? execute(claimIdsStatement, [bigintArray(claim.ids)])
      : execute(claimOldStatement, [int(Math.round(claim.olderThanMs)), int(claim.limit)]);
  // Generic plans for the transaction: with `id = any($1)` the planner costs a custom plan for
  // a few ids below the generic one and so planned the claim again at most executions, 0.8 ms a
  // time against 0.1 ms to run it (docs/performance.md). The generic plans are the same index
  // scans.
  const results = await runPrepared(
    client,
    [claimIdsStatement, claimOldStatement],
    `begin;\nset local plan_cache_mode = force_generic_plan;\n${claimed}`,
  );
  // The claim is the query's last statement: its rows are the last result.
  return ((results.at(-1)?.rows ?? []) as InboxRow[]).map(toInboxEvent);
}

/** An event the runtime could not process: kept (up to 5 attempts) with its error. */
export async function recordInboxFailure(pool: pg.Pool, id: string, error: string): Promise<void> {
  await pool.query(
    'update journey_inbox set attempts = attempts + 1, last_error = $2, created_at = now() where id = $1',
    [id, error.slice(0, 2000)],
  );
}

export async function loadProfiles(
  client: pg.PoolClient,
  workspaceId: string,
  profileIds: readonly string[],
): Promise<Map<string, ProfileRow>> {
  const result = await client.query<Record<`p_${string}`, unknown>>({
    name: 'tl_rt_profiles',
    text: `select ${profileColumns('profiles', 'p_')} from profiles where workspace_id = $1 and id = any($2::uuid[])`,
    values: [workspaceId, profileIds],
  });
  const profiles = new Map<string, ProfileRow>();
  for (const row of result.rows) {
    const profile = profileOf(row);
    if (profile) profiles.set(profile.id, profile);
  }
  return profiles;
}

interface EnrollmentRow {
  id: string;
  workspace_id: string;
  journey_id: string;
  journey_version: number;
  profile_id: string;
  status: EnrollmentStatus;
  current_node: string | null;
  current_visit: number | null;
  visits: Record<string, number>;
  context: Partial<EnrollmentContext>;
  wait: StoredWait | null;
  wake_at: Date | null;
  entered_at: Date;
  entry_slot: string | null;
  entry_key: string;
  ended_at: Date | null;
  end_reason: string | null;
  converted_at: Date | null;
  held: boolean;
  row_version?: string;
}

const enrollmentColumns = `id, workspace_id, journey_id, journey_version, profile_id, status, current_node,
  current_visit, visits, context, wait, wake_at, entered_at, entry_slot, entry_key, ended_at, end_reason,
  converted_at, held`;

function toState(row: EnrollmentRow): EnrollmentState {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    journeyId: row.journey_id,
    journeyVersion: row.journey_version,
    profileId: row.profile_id,
    status: row.status,
    currentNode: row.current_node,
    currentVisit: row.current_visit,
    visits: row.visits ?? {},
    context: {
      triggerEvent: row.context?.triggerEvent ?? null,
      variables: row.context?.variables ?? {},
      assignments: row.context?.assignments ?? {},
    },
    wait: row.wait,
    wakeAt: row.wake_at,
    enteredAt: row.entered_at,
    entrySlot: row.entry_slot,
    entryKey: row.entry_key,
    endedAt: row.ended_at,
    endReason: row.end_reason,
    convertedAt: row.converted_at,
    held: row.held,
    isNew: false,
    ...(row.row_version === undefined ? {} : { rowVersion: row.row_version }),
    ...(row.current_node === null
      ? {}
      : { storedStep: stepKey(row.id, row.current_node, row.current_visit ?? 1) }),
  };
}

/**
 * The enrollments of these profiles in these journeys that matter for deciding: the running ones
 * and those holding a re-entry slot (plus every one of the `history` pairs, after a conflict).
 * Locked until commit.
 */
export async function loadEnrollments(
  client: pg.PoolClient,
  workspaceId: string,
  profileIds: readonly string[],
  journeyIds: readonly string[],
  history: readonly { journeyId: string; profileId: string }[] = [],
  /** Ended enrollments entered since then may still convert (a goal's attribution window). */
  convertibleSince: Date | null = null,
): Promise<EnrollmentState[]> {
  if (profileIds.length === 0 || journeyIds.length === 0) return [];
  const result = await client.query<EnrollmentRow>({
    name: 'tl_rt_enrollments',
    text: `select ${enrollmentColumns}
             from enrollments
            where workspace_id = $1 and profile_id = any($2::uuid[]) and journey_id = any($3::uuid[])
              and (status in ('active', 'waiting') or entry_slot is not null
                   or (converted_at is null and entered_at >= $6::timestamptz)
                   or (journey_id, profile_id) in (select * from unnest($4::uuid[], $5::uuid[])))
            order by id
              for update`,
    values: [
      workspaceId,
      profileIds,
      journeyIds,
      history.map((h) => h.journeyId),
      history.map((h) => h.profileId),
      convertibleSince,
    ],
  });
  return result.rows.map(toState);
}

/**
 * Enrollments by id, for timers firing: not locked, but with their row versions, so the write
 * changes only rows nobody changed meanwhile (a lock per row is a write of its own: it cost a
 * fifth of the wake sweep's time in PostgreSQL). A wake that loses to an event is run again.
 */
export async function loadEnrollmentsById(
  client: pg.PoolClient,
  workspaceId: string,
  ids: readonly string[],
): Promise<EnrollmentState[]> {
  const result = await client.query<EnrollmentRow>({
    name: 'tl_rt_enrollments_by_id',
    text: `select ${enrollmentColumns}, xmin::text as row_version from enrollments
            where workspace_id = $1 and id = any($2::uuid[])`,
    values: [workspaceId, ids],
  });
  return result.rows.map(toState);
}

/** A changed enrollment was changed by another transaction since it was read: run it again. */
export const staleWriteCode = 'TL412';

/** A new enrollment lost its re-entry slot or its trigger to a concurrent entry (EntryConflict). */
const entryConflictCode = 'TL409';

/** A new enrollment lost the race for its slot or its trigger: the transaction is retried. */
export class EntryConflict extends Error {
  constructor(readonly pairs: ReadonlyArray<{ journeyId: string; profileId: string }>) {
    super(`${pairs.length} enrollment(s) conflicted with a concurrent entry`);
    this.name = 'EntryConflict';
  }
}

/**
 * New enrollments whole; stored ones without their context, which the update leaves as it is (it
 * never changes once written: enrollment.ts). A wake's update parsed about 700 bytes of context
 * JSON (the trigger event, mostly) only to write back the same value.
 */
function enrollmentDocument(enrollments: readonly EnrollmentState[]): string {
  return JSON.stringify(
    enrollments.map((e) => ({
      id: e.id,
      w: e.workspaceId,
      j: e.journeyId,
      v: e.journeyVersion,
      p: e.profileId,
      s: e.status,
      n: e.currentNode,
      cv: e.currentVisit,
      vs: e.visits,
      c: e.isNew ? e.context : null,
      wt: e.wait,
      wa: e.wakeAt?.toISOString() ?? null,
      ea: e.enteredAt.toISOString(),
      sl: e.entrySlot,
      k: e.entryKey,
      ed: e.endedAt?.toISOString() ?? null,
      er: e.endReason,
      ca: e.convertedAt?.toISOString() ?? null,
      h: e.held,
      rv: e.rowVersion ?? null,
    })),
  );
}

const stepRecord = `w uuid, en uuid, n text, vi int, j uuid, v int, p uuid, t text, po text, r text, re text,
  f jsonb, ea timestamptz, la timestamptz`;

const enrollmentRecord = `id uuid, w uuid, j uuid, v int, p uuid, s text, n text, cv int, vs jsonb, c jsonb, wt jsonb,
  wa timestamptz, ea timestamptz, sl text, k text, ed timestamptz, er text, ca timestamptz, h boolean, rv text`;

/** Wake jobs for waits due within this horizon go to graphile-worker now; later ones wait in a table. */
export interface WriteOptions {
  readonly horizonMs: number;
  readonly now: Date;
  /** Inbox rows whose events these effects decide: deleted in the same statement. */
  readonly inboxIds?: readonly string[];
  /**
   * The write statement's name, one per kind of transaction (events, wakes, entries), so that
   * fault injection can kill a process right after the write of one kind.
   */
  readonly statement?: 'tl_rt_write_events' | 'tl_rt_write_wakes' | 'tl_rt_write_entries';
  /** Ends the transaction with this write: `commit` goes in the same round trip. */
  readonly commit?: boolean;
}

/**
 * What a runtime transaction decided, in one statement: new and changed enrollments, the step
 * log, outbox rows, waits (graphile-worker jobs for the near ones, `journey_timers` rows for the
 * rest) and the removal of the inbox rows decided. Each part is a data-modifying CTE over its own
 * JSON document, so a transaction makes one round trip for all of them where it made one per
 * kind. The statement holds only the parts a transaction has rows for (one prepared statement
 * per combination, a handful in practice): an empty part still opened its table and every index
 * of it for nothing, 0.1–0.3 ms of a one-enrollment write.
 *
 * The documents whose rows carry nested JSON (enrollment context, outbox content) are `jsonb`:
 * `json_to_recordset` parses each nested value a second time to store it as jsonb, and their
 * function scans took twice as long for it. The flat ones stay `json`, which parses cheaper.
 */
const writeParts = {
  ins: `ins as (
    insert into enrollments (id, workspace_id, journey_id, journey_version, profile_id, status, current_node,
      current_visit, visits, context, wait, wake_at, entered_at, updated_at, entry_slot, entry_key, ended_at,
      end_reason, converted_at, held)
    select id, w, j, v, p, s, n, cv, vs, c, wt, wa, ea, now(), sl, k, ed, er, ca, h
      from jsonb_to_recordset($1::jsonb) as x(${enrollmentRecord})
    on conflict do nothing
    returning id
  )`,
  upd: `upd as (
    update enrollments e set journey_version = x.v, status = x.s, current_node = x.n, current_visit = x.cv,
      visits = x.vs, wait = x.wt, wake_at = x.wa, entry_slot = x.sl, ended_at = x.ed,
      end_reason = x.er, converted_at = x.ca, held = x.h, updated_at = now()
      from jsonb_to_recordset($2::jsonb) as x(${enrollmentRecord})
     -- A row read without a lock changes only if it is still the version read.
     where e.workspace_id = x.w and e.id = x.id and (x.rv is null or e.xmin = x.rv::xid)
    returning 1
  )`,
  // Steps entered earlier (where a read enrollment was) and left now: updated in place.
  left: `left_steps as (
    update enrollment_steps s
       set port = x.po, rule = coalesce(x.r, s.rule), reason = coalesce(x.re, s.reason),
           facts = coalesce(x.f, s.facts), left_at = x.la
      from json_to_recordset($10::json) as x(${stepRecord})
     where s.workspace_id = x.w and s.enrollment_id = x.en and s.node_id = x.n and s.visit = x.vi
    returning s.enrollment_id, s.node_id, s.visit
  )`,
  outbox: `outbox as (
    -- A queued row carries its due time (now, or when quiet hours end): the delivery sweep finds
    -- it by that (apps/worker/src/delivery/sweep.ts), so no job is written beside it. A step
    -- retried after a crash finds its row (unique per step) and writes nothing.
    insert into messages (workspace_id, idempotency_key, profile_id, enrollment_id, journey_id, node_id,
                          channel, template_id, content, status, suppressed_reason, due_at)
    select w, k, p, en, j, n, ch, tp, c, case when sr is null then 'queued' else 'suppressed' end, sr,
           case when sr is null then coalesce(at, now()) end
      from jsonb_to_recordset($4::jsonb) as x(w uuid, k text, p uuid, en uuid, j uuid, n text, ch text,
           tp uuid, c jsonb, sr text, at timestamptz)
    on conflict (workspace_id, idempotency_key) do nothing
  )`,
  timers: `timers as (
    insert into journey_timers (workspace_id, enrollment_id, node_id, visit, wake_at)
    select w, e, n, v, at from json_to_recordset($5::json) as x(w uuid, e uuid, n text, v int, at timestamptz, k text)
    on conflict do nothing
  )`,
  // A plain select: it runs only because the final select reads it.
  jobs: `jobs as (
    select graphile_worker.add_jobs(array(
             select row('journey_wake', json_build_object('w', w, 'e', e, 'n', n, 'v', v), null, at, null, k, null,
                        null)::graphile_worker.job_spec
               from json_to_recordset($6::json) as x(w uuid, e uuid, n text, v int, at timestamptz, k text)))
  )`,
  inbox: `inbox as (delete from journey_inbox where id = any($7::bigint[]))`,
} as const;

type WritePart = keyof typeof writeParts | 'entered';

/** Steps entered in this transaction, and left ones whose rows are not there after all. */
function stepsPart(entered: boolean, left: boolean): string {
  const insertEntered = `select w, en, n, vi, j, v, p, t, po, r, re, f, ea, la
      from json_to_recordset($3::json) as x(${stepRecord})`;
  // A left step whose row is missing is written whole, as the upsert did: plain inserts. An
  // upsert is a speculative insertion — a second WAL record per row to confirm it, and a row
  // lock before each update it turns into.
  const insertMissing = `select w, en, n, vi, j, v, p, t, po, r, re, f, ea, la
      from json_to_recordset($10::json) as x(${stepRecord})
     where not exists (select 1 from left_steps l where l.enrollment_id = x.en and l.node_id = x.n and l.visit = x.vi)`;
  return `steps as (
    insert into enrollment_steps (workspace_id, enrollment_id, node_id, visit, journey_id, journey_version,
      profile_id, type, port, rule, reason, facts, entered_at, left_at)
    ${[...(entered ? [insertEntered] : []), ...(left ? [insertMissing] : [])].join('\n    union all\n    ')}
  )`;
}

const writeStatements = new Map<string, WireStatement>();

/** The write statement holding `parts` (prepared once per connection and combination). */
function writeStatementFor(parts: ReadonlySet<WritePart>): WireStatement {
  // The steps CTE comes after left_steps: the insert of missing left steps reads it.
  const order = ['ins', 'upd', 'left', 'entered', 'outbox', 'timers', 'jobs', 'inbox'] as const;
  const key = order.map((part) => (parts.has(part) ? '1' : '0')).join('');
  let statement = writeStatements.get(key);
  if (statement) return statement;
  const ctes: string[] = [];
  for (const part of order) {
    if (part !== 'entered') {
      if (parts.has(part)) ctes.push(writeParts[part]);
    } else if (parts.has('entered') || parts.has('left')) {
      ctes.push(stepsPart(parts.has('entered'), parts.has('left')));
    }
  }
  // Fails the statement when a new enrollment lost its slot to a concurrent entry, or a row read
  // without a lock changed meanwhile: `commit` follows in the same round trip, so nothing must
  // commit after a lost race.
  const checks = [
    parts.has('ins')
      ? `touchline_expect_rows($8::int, (select count(*) from ins)::int, '${entryConflictCode}', 'entry conflict') as inserted`
      : '$8::int as inserted',
    parts.has('upd')
      ? `touchline_expect_rows($9::int, (select count(*) from upd)::int, '${staleWriteCode}', 'stale write') as updated`
      : '$9::int as updated',
    parts.has('jobs') ? '(select count(*) from jobs)::int as jobs' : '0 as jobs',
  ];
  statement = {
    name: `tlw_write_${key}`,
    types: ['jsonb', 'jsonb', 'json', 'jsonb', 'json', 'json', 'bigint[]', 'int', 'int', 'json'],
    text: `${ctes.length > 0 ? `with\n  ${ctes.join(',\n  ')}\n` : ''}select ${checks.join(',\n       ')}`,
  };
  writeStatements.set(key, statement);
  return statement;
}

const releaseStatement: WireStatement = {
  name: 'tlw_release',
  types: ['uuid', 'uuid[]'],
  text: 'update enrollments set entry_slot = null where workspace_id = $1 and id = any($2::uuid[])',
};

const cancelWakesStatement: WireStatement = {
  name: 'tlw_cancel_wakes',
  types: ['json'],
  text: `with x as (select * from json_to_recordset($1::json) as x(w uuid, e uuid, n text, v int, at timestamptz, k text)),
              t as (delete from journey_timers j using x
                     where j.workspace_id = x.w and j.enrollment_id = x.e and j.node_id = x.n and j.visit = x.v)
         select graphile_worker.remove_job(k) from x`,
};

/**
 * Writes what a runtime transaction decided, in one round trip with `commit` when
 * `options.commit`. Throws EntryConflict when an entry lost a race (the transaction is then
 * aborted: the caller rolls back and runs it again).
 */
export async function writeEffects(
  client: pg.PoolClient,
  effects: Effects,
  options: WriteOptions,
): Promise<void> {
  const statements: string[] = [];
  if (effects.released.length > 0) {
    // Before the insert: a new enrollment may take the slot released here.
    statements.push(
      execute(releaseStatement, [
        uuid(effects.released[0]?.workspaceId),
        uuidArray(effects.released.map((e) => e.id)),
      ]),
    );
  }
  // Only waits written by earlier transactions are cancelled (one begun in this transaction is
  // dropped from `effects.wakes` instead: transitions.ts cancelWait), so none is scheduled below.
  if (effects.cancelled.length > 0) {
    statements.push(execute(cancelWakesStatement, [text(wakeDocument(effects.cancelled))]));
  }
  const all = [...effects.enrollments.values()];
  const fresh = all.filter((e) => e.isNew);
  // A slot released above changed the row in this transaction: its version is ours now.
  const released = new Set(effects.released.map((e) => e.id));
  const changed = all
    .filter((e) => !e.isNew)
    .map((e) => (e.rowVersion !== undefined && released.has(e.id) ? { ...e, rowVersion: undefined } : e));
  const limit = options.now.getTime() + options.horizonMs;
  const near = effects.wakes.filter((w) => w.wakeAt.getTime() <= limit);
  const far = effects.wakes.filter((w) => w.wakeAt.getTime() > limit);
  // A step where a read enrollment was exists already; any other was entered in this transaction.
  const stored = new Set<string>();
  for (const e of all) if (e.storedStep !== undefined) stored.add(e.storedStep);
  const entered: StepRow[] = [];
  const left: StepRow[] = [];
  for (const [key, step] of effects.steps) (stored.has(key) ? left : entered).push(step);
  const inboxIds = options.inboxIds ?? [];
  const parts = new Set<WritePart>();
  if (fresh.length > 0) parts.add('ins');
  if (changed.length > 0) parts.add('upd');
  if (left.length > 0) parts.add('left');
  if (entered.length > 0) parts.add('entered');
  if (effects.outbox.length > 0) parts.add('outbox');
  if (far.length > 0) parts.add('timers');
  if (near.length > 0) parts.add('jobs');
  if (inboxIds.length > 0) parts.add('inbox');
  const write = parts.size > 0 ? writeStatementFor(parts) : undefined;
  if (write) {
    statements.push(
      execute(write, [
        text(enrollmentDocument(fresh)),
        text(enrollmentDocument(changed)),
        text(stepDocument(entered)),
        text(outboxDocument(effects)),
        text(wakeDocument(far)),
        text(wakeDocument(near)),
        bigintArray(inboxIds),
        int(fresh.length),
        int(changed.length),
        text(stepDocument(left)),
      ]),
    );
  }
  if (effects.profileUpdates.length > 0) {
    statements.push(execute(profileUpdatesStatement, [text(profileUpdatesDocument(effects))]));
  }
  if (options.commit) statements.push('commit');
  if (statements.length === 0) return;
  try {
    await runPrepared(client, write ? [...wireStatements, write] : wireStatements, statements.join(';\n'));
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code === entryConflictCode) {
      // Which ones lost cannot be asked in an aborted transaction: all of them are read again.
      throw new EntryConflict(fresh.map((e) => ({ journeyId: e.journeyId, profileId: e.profileId })));
    }
    throw error;
  }
}

function stepDocument(steps: readonly StepRow[]): string {
  return JSON.stringify(
    steps.map((s) => ({
      w: s.workspaceId,
      en: s.enrollmentId,
      n: s.nodeId,
      vi: s.visit,
      j: s.journeyId,
      v: s.journeyVersion,
      p: s.profileId,
      t: s.type,
      po: s.port,
      r: s.rule,
      re: s.reason,
      f: s.facts,
      ea: s.enteredAt.toISOString(),
      la: s.leftAt?.toISOString() ?? null,
    })),
  );
}

function outboxDocument(effects: Effects): string {
  return JSON.stringify(
    effects.outbox.map((m) => ({
      w: m.workspaceId,
      k: m.idempotencyKey,
      p: m.profileId,
      en: m.enrollmentId,
      j: m.journeyId,
      n: m.nodeId,
      ch: m.channel,
      tp: m.templateId,
      c: m.content,
      sr: m.suppressedReason,
      at: m.sendAt?.toISOString() ?? null,
    })),
  );
}

const wakeDocument = (wakes: readonly WakeRow[]) =>
  JSON.stringify(
    wakes.map((w) => ({
      w: w.workspaceId,
      e: w.enrollmentId,
      n: w.nodeId,
      v: w.visit,
      at: w.wakeAt.toISOString(),
      k: wakeJobKey(w.enrollmentId, w.nodeId, w.visit),
    })),
  );

/** Moves timers coming due into graphile-worker; returns how many. */
export async function promoteTimers(
  client: pg.PoolClient | pg.Pool,
  horizonMs: number,
  limit = 10_000,
): Promise<number> {
  const result = await client.query<{ n: number }>({
    name: 'tl_rt_promote',
    text: `with due as (
             delete from journey_timers where ctid in (
               select ctid from journey_timers where wake_at < now() + make_interval(secs => $1::float8 / 1000)
                order by wake_at limit $2 for update skip locked)
             returning workspace_id, enrollment_id, node_id, visit, wake_at
           ),
           added as (
             select graphile_worker.add_jobs(array(
               select row('journey_wake',
                          json_build_object('w', workspace_id, 'e', enrollment_id, 'n', node_id, 'v', visit),
                          null, wake_at, null, 'wake:' || enrollment_id || ':' || node_id || ':' || visit, null,
                          null)::graphile_worker.job_spec
                 from due))
              where exists (select 1 from due)
           )
           select (select count(*) from due)::int as n, (select count(*) from added) as a`,
    values: [horizonMs, limit],
  });
  return result.rows[0]?.n ?? 0;
}

function profileUpdatesDocument(effects: Effects): string {
  // Several updates to one profile in a transaction fold into one, applied in order.
  const folded = new Map<
    string,
    { w: string; p: string; set: Record<string, unknown>; add: Set<string>; remove: Set<string> }
  >();
  for (const update of effects.profileUpdates) {
    let entry = folded.get(update.profileId);
    if (!entry) {
      entry = { w: update.workspaceId, p: update.profileId, set: {}, add: new Set(), remove: new Set() };
      folded.set(update.profileId, entry);
    }
    Object.assign(entry.set, update.set);
    for (const tag of update.addTags) {
      entry.add.add(tag);
      entry.remove.delete(tag);
    }
    for (const tag of update.removeTags) {
      entry.remove.add(tag);
      entry.add.delete(tag);
    }
  }
  const rows = [...folded.values()]
    .sort((a, b) => (a.p < b.p ? -1 : a.p > b.p ? 1 : 0))
    .map((f) => ({
      w: f.w,
      p: f.p,
      s: Object.fromEntries(Object.entries(f.set).filter(([, v]) => v !== null)),
      c: Object.entries(f.set)
        .filter(([, v]) => v === null)
        .map(([k]) => k),
      a: f.add.size + f.remove.size > 0 ? [...f.add] : null,
      r: [...f.remove],
    }));
  return JSON.stringify(rows);
}

const profileUpdatesStatement: WireStatement = {
  name: 'tlw_profile_updates',
  types: ['json'],
  text: `update profiles p set
             traits = ((p.traits || x.s) - array(select jsonb_array_elements_text(x.c)))
               || case when x.a is null then '{}'::jsonb else jsonb_build_object('tags', (
                    select coalesce(jsonb_agg(t order by t), '[]'::jsonb) from (
                      select t from jsonb_array_elements_text(case when jsonb_typeof(p.traits -> 'tags') = 'array'
                                                             then p.traits -> 'tags' else '[]'::jsonb end) t
                      union select jsonb_array_elements_text(x.a)
                    ) tags where not t = any(array(select jsonb_array_elements_text(x.r))))) end,
             updated_at = now()
             from json_to_recordset($1::json) as x(w uuid, p uuid, s jsonb, c jsonb, a jsonb, r jsonb)
            where p.workspace_id = x.w and p.id = x.p`,
};

const wireStatements = [releaseStatement, cancelWakesStatement, profileUpdatesStatement];

/**
 * Re-queues work whose job died with a killed worker (or a wait left with neither job nor timer):
 * waits past due and queued messages older than `olderThanMs` with no job waiting to run them
 * (graphile-worker would unlock the dead worker's job only after 4 hours). Re-queuing is harmless
 * even when the old job is merely slow: a timer whose step has passed and a message no longer
 * queued do nothing.
 */
export async function requeueOverdue(
  pool: pg.Pool,
  olderThanMs: number,
  limit = 5_000,
): Promise<{ waits: number; messages: number }> {
  const result = await pool.query<{ waits: number; messages: number }>({
    name: 'tl_rt_requeue_overdue',
    text: `with waits as (
             select e.workspace_id, e.id, e.current_node, e.current_visit,
                    'wake:' || e.id || ':' || e.current_node || ':' || e.current_visit as k
               from enrollments e
              where e.status = 'waiting' and not e.held
                and e.wake_at < now() - make_interval(secs => $1::float8 / 1000)
                and not exists (select 1 from graphile_worker._private_jobs j
                                 where j.key = 'wake:' || e.id || ':' || e.current_node || ':' || e.current_visit
                                   and j.locked_at is null)
                -- A timer not yet taken is late, not lost (a backlog the sweep is working through).
                and not exists (select 1 from journey_timers t
                                 where t.workspace_id = e.workspace_id and t.enrollment_id = e.id
                                   and t.node_id = e.current_node and t.visit = e.current_visit)
              limit $2
           ),
           messages as (
             select m.workspace_id, m.id, 'deliver:' || m.id as k
               from messages m
              -- A queued message with a due time is the delivery sweep's (no job); one without had a job.
              where ((m.status = 'queued' and m.due_at is null
                      and m.created_at < now() - make_interval(secs => $1::float8 / 1000))
                     -- Claimed by a worker that died mid-send (a live send is given five times longer).
                     or (m.status = 'sending' and m.claimed_at < now() - make_interval(secs => 5 * $1::float8 / 1000)))
                and not exists (select 1 from graphile_worker._private_jobs j
                                 where j.key = 'deliver:' || m.id and j.locked_at is null)
              limit $2
           ),
           added as (
             select graphile_worker.add_jobs(array(
               select row('journey_wake', json_build_object('w', workspace_id, 'e', id, 'n', current_node,
                          'v', current_visit), null, now(), null, k, null, null)::graphile_worker.job_spec from waits
               union all
               select row('message_deliver', json_build_object('workspaceId', workspace_id, 'messageId', id),
                          null, now(), null, k, null, null)::graphile_worker.job_spec from messages))
              where exists (select 1 from waits) or exists (select 1 from messages)
           )
           select (select count(*) from waits)::int as waits, (select count(*) from messages)::int as messages,
                  (select count(*) from added) as added`,
    values: [olderThanMs, limit],
  });
  return { waits: result.rows[0]?.waits ?? 0, messages: result.rows[0]?.messages ?? 0 };
}

/** A journey version as the database has it now, for a timer whose version the index lacks or holds paused. */
export async function loadRoutedVersion(
  client: pg.PoolClient,
  workspaceId: string,
  journeyId: string,
  version: number,
  withCompiled: boolean,
): Promise<
  | { name: string; status: string; liveVersion: number | null; compiled: RoutedVersion['compiled'] | null }
  | undefined
> {
  const result = await client.query<{
    name: string;
    status: string;
    live_version: number | null;
    compiled: RoutedVersion['compiled'] | null;
  }>({
    name: 'tl_rt_routed_version',
    text: `select j.name, j.status, j.live_version, case when $4 then v.compiled end as compiled
             from journeys j
             join journey_versions v on v.workspace_id = j.workspace_id and v.journey_id = j.id and v.version = $3
            where j.workspace_id = $1 and j.id = $2`,
    values: [workspaceId, journeyId, version, withCompiled],
  });
  const row = result.rows[0];
  return row && { name: row.name, status: row.status, liveVersion: row.live_version, compiled: row.compiled };
}

/** A due wait taken by the runtime itself: from `journey_timers` or a `journey_wake` job. */
export interface DueWake {
  /** The graphile-worker job's id; null for a row of `journey_timers`. */
  readonly jobId: string | null;
  /** When a row of `journey_timers` was due (the sweep's floor: see startWakeSweep). */
  readonly wakeAt?: Date;
  readonly wake: {
    readonly workspaceId: string;
    readonly enrollmentId: string;
    readonly nodeId: string;
    readonly visit: number;
  };
}

/** What one wake transaction may take: anything due (up to a limit), or exactly these. */
export type WakeClaim =
  /** `from`: no timer due before it is looked for (null: all of them). */
  | { readonly limit: number; readonly from?: Date | null }
  | { readonly jobIds: readonly string[] }
  | { readonly timers: readonly DueWake['wake'][] };

/**
 * Takes due waits inside the caller's transaction: rows of `journey_timers` first (where every
 * wait lands that was scheduled past the horizon), then `journey_wake` jobs. Both are deleted
 * here, so they are gone exactly when the wakes' effects commit (a rollback puts them back);
 * rows another transaction locks, and jobs a worker holds, are skipped.
 */
export async function claimDueWakes(client: pg.PoolClient, claim: WakeClaim): Promise<DueWake[]> {
  if ('jobIds' in claim) return claimDueJobs(client, claim.jobIds.length, claim.jobIds);
  if ('timers' in claim) return claimDueTimers(client, claim.timers.length, claim.timers);
  const timers = await claimDueTimers(client, claim.limit, undefined, claim.from ?? null);
  if (timers.length >= claim.limit) return timers;
  return [...timers, ...(await claimDueJobs(client, claim.limit - timers.length))];
}

/**
 * Due rows of `journey_timers`, oldest first: a range of its `wake_at` index (its first column,
 * so no version of PostgreSQL walks the rows not yet due), deleted by their row address.
 */
async function claimDueTimers(
  client: pg.PoolClient,
  limit: number,
  only?: readonly DueWake['wake'][],
  from: Date | null = null,
): Promise<DueWake[]> {
  const result = only
    ? await client.query<TimerRow>({
        name: 'tl_rt_claim_timer',
        text: `delete from journey_timers
                where ctid = any(array(
                  select t.ctid from journey_timers t
                    join json_to_recordset($1::json) as x(w uuid, e uuid, n text, v int)
                      on t.workspace_id = x.w and t.enrollment_id = x.e and t.node_id = x.n and t.visit = x.v
                     for update of t skip locked))
               returning workspace_id, enrollment_id, node_id, visit`,
        values: [
          JSON.stringify(only.map((w) => ({ w: w.workspaceId, e: w.enrollmentId, n: w.nodeId, v: w.visit }))),
        ],
      })
    : await client.query<TimerRow>({
        name: 'tl_rt_claim_timers',
        text: `delete from journey_timers
                where ctid = any(array(select ctid from journey_timers
                                        where wake_at >= coalesce($2::timestamptz, '-infinity') and wake_at <= now()
                                        order by wake_at limit $1 for update skip locked))
               returning workspace_id, enrollment_id, node_id, visit, wake_at`,
        values: [limit, from],
      });
  return result.rows.map((r) => ({
    jobId: null,
    ...(r.wake_at ? { wakeAt: r.wake_at } : {}),
    wake: { workspaceId: r.workspace_id, enrollmentId: r.enrollment_id, nodeId: r.node_id, visit: r.visit },
  }));
}

interface TimerRow {
  workspace_id: string;
  enrollment_id: string;
  node_id: string;
  visit: number;
  wake_at?: Date;
}

/**
 * Due `journey_wake` jobs (or only `jobIds`) off graphile-worker's queue. Reads graphile-worker
 * 0.17's own table, as its `complete_jobs` does.
 */
async function claimDueJobs(
  client: pg.PoolClient,
  limit: number,
  jobIds?: readonly string[],
): Promise<DueWake[]> {
  const result = await client.query<{ id: string; payload: Record<string, unknown> | null }>({
    name: 'tl_rt_claim_wakes',
    text: `with due as (
             delete from graphile_worker._private_jobs j
              where j.id in (
                select id from graphile_worker._private_jobs
                 where is_available and job_queue_id is null and run_at <= now()
                   and task_id = (select id from graphile_worker._private_tasks where identifier = 'journey_wake')
                   and ($2::bigint[] is null or id = any($2::bigint[]))
                 order by priority, run_at
                 limit $1
                   for update skip locked)
             returning j.id, j.payload
           )
           select id::text, payload from due order by id`,
    values: [limit, jobIds ?? null],
  });
  // Checked by the caller (a malformed payload fails its job).
  return result.rows.map((r) => ({
    jobId: r.id,
    wake: {
      workspaceId: r.payload?.w as string,
      enrollmentId: r.payload?.e as string,
      nodeId: r.payload?.n as string,
      visit: r.payload?.v as number,
    },
  }));
}

/**
 * Whether any wait is due: the idle sweep's probe, two index lookups, no transaction; `from` as
 * for claimDueWakes.
 */
export async function hasDueWakes(pool: pg.Pool, from: Date | null = null): Promise<boolean> {
  const result = await pool.query({
    name: 'tl_rt_due_wakes',
    text: `select 1 where exists (select 1 from journey_timers
                                   where wake_at >= coalesce($1::timestamptz, '-infinity') and wake_at <= now())
              or exists (select 1 from graphile_worker._private_jobs
                          where is_available and job_queue_id is null and run_at <= now()
                            and task_id = (select id from graphile_worker._private_tasks
                                            where identifier = 'journey_wake'))`,
    values: [from],
  });
  return (result.rowCount ?? 0) > 0;
}

/**
 * A timer that failed alone becomes a `journey_wake` job, in the statement that deletes it (no
 * moment without either), due after graphile-worker's first backoff; failing again, the job is
 * backed off further by `failWakeJob`, up to its `max_attempts`.
 */
export async function failTimer(pool: pg.Pool, wake: DueWake['wake'], error: string): Promise<void> {
  const { rows } = await pool.query<{ id: string | null }>({
    name: 'tl_rt_fail_timer',
    text: `with t as (
             delete from journey_timers
              where workspace_id = $1 and enrollment_id = $2 and node_id = $3 and visit = $4
             returning workspace_id, enrollment_id, node_id, visit
           )
           select (graphile_worker.add_job('journey_wake',
                     json_build_object('w', workspace_id, 'e', enrollment_id, 'n', node_id, 'v', visit),
                     run_at => now() + exp(1) * interval '1 second',
                     job_key => 'wake:' || enrollment_id || ':' || node_id || ':' || visit)).id::text as id
             from t`,
    values: [wake.workspaceId, wake.enrollmentId, wake.nodeId, wake.visit],
  });
  const id = rows[0]?.id;
  if (id) {
    await pool.query({
      name: 'tl_rt_fail_timer_error',
      text: 'update graphile_worker._private_jobs set attempts = 1, last_error = $2 where id = $1',
      values: [id, error.slice(0, 2000)],
    });
  }
}

/** A wake job that failed alone: tried again after graphile-worker's backoff (exp(attempts) s). */
export async function failWakeJob(pool: pg.Pool, jobId: string, error: string): Promise<void> {
  await pool.query({
    name: 'tl_rt_fail_wake',
    text: `update graphile_worker._private_jobs
              set attempts = attempts + 1, last_error = $2, updated_at = now(),
                  run_at = greatest(now(), run_at) + exp(least(attempts + 1, 10)) * interval '1 second'
            where id = $1`,
    values: [jobId, error.slice(0, 2000)],
  });
}

import type pg from 'pg';

/**
 * Several statements in one round trip. node-postgres sends a parameterised query as one
 * extended-protocol exchange and waits for its answer before the next, so `begin`, a claim, a
 * write and `commit` cost four round trips — each a wake-up of the backend and of this process,
 * which on a busy 2-core machine is most of a small transaction's time. A simple-protocol query
 * may hold several statements: `begin; execute claim(…)` and `execute write(…); commit` are one
 * round trip each. The statements stay prepared (SQL `prepare`, once per connection), so nothing
 * is parsed again; whether one is planned again is `plan_cache_mode`'s choice (the inbox claim
 * forces generic plans: store.ts). Their arguments travel as literals, quoted here.
 */

/** A statement run by `execute`: its name, its parameters' types, its text with `$n` placeholders. */
export interface WireStatement {
  readonly name: string;
  readonly types: readonly string[];
  readonly text: string;
}

const preparedOn = Symbol('touchline.prepared');
type Tracked = { [preparedOn]?: Set<string> };

/**
 * Prepares (SQL `prepare`) those of `statements` this connection has not prepared yet, in one
 * round trip. Inside a transaction too: a prepared statement outlives a rollback, and one that
 * failed to prepare is not recorded here.
 */
async function ensurePrepared(client: pg.ClientBase, statements: readonly WireStatement[]): Promise<void> {
  const tracked = client as unknown as Tracked;
  const done = tracked[preparedOn] ?? new Set<string>();
  const missing = statements.filter((s) => !done.has(s.name));
  if (missing.length === 0) return;
  await client.query(missing.map((s) => `prepare ${s.name}(${s.types.join(', ')}) as ${s.text}`).join(';\n'));
  for (const s of missing) done.add(s.name);
  tracked[preparedOn] = done;
}

/** PostgreSQL's "prepared statement does not exist". */
export const unpreparedCode = '26000';

/**
 * Runs a query of `execute`s after preparing what it needs. A connection that lost its prepared
 * statements (`deallocate all`, a pooler that switched it) fails once with `unpreparedCode`:
 * this connection's record is then cleared, so the caller's retry prepares them again.
 */
export async function runPrepared(
  client: pg.ClientBase,
  statements: readonly WireStatement[],
  text: string,
): Promise<pg.QueryResult[]> {
  await ensurePrepared(client, statements);
  try {
    const result = (await client.query(text)) as unknown as pg.QueryResult | pg.QueryResult[];
    return Array.isArray(result) ? result : [result];
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code === unpreparedCode) {
      delete (client as unknown as Tracked)[preparedOn];
    }
    throw error;
  }
}

/** `execute name(args…)`: the arguments already SQL literals (see `text`, `bigintArray`…). */
export function execute(statement: WireStatement, args: readonly string[]): string {
  if (args.length !== statement.types.length) {
    throw new Error(`${statement.name} takes ${statement.types.length} arguments, got ${args.length}`);
  }
  return `execute ${statement.name}(${args.join(', ')})`;
}

/**
 * A string as a dollar-quoted literal: taken verbatim whatever `standard_conforming_strings`
 * says, with a tag the string does not contain. PostgreSQL text cannot hold NUL, and JSON
 * text from JSON.stringify never does (it writes `\u0000`).
 */
export function text(value: string): string {
  if (value.includes('\u0000')) throw new Error('a SQL literal cannot hold a NUL character');
  let tag = '$tl$';
  for (let i = 0; value.includes(tag); i++) tag = `$tl${i}$`;
  return `${tag}${value}${tag}`;
}

/** Ids of bigint columns (as node-postgres returns them: decimal strings) as a `bigint[]` literal. */
export function bigintArray(ids: readonly string[]): string {
  for (const id of ids)
    if (!/^-?\d{1,19}$/.test(id)) throw new Error(`not a bigint id: ${JSON.stringify(id)}`);
  return `'{${ids.join(',')}}'`;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A UUID as a literal. */
export function uuid(id: string | undefined): string {
  if (id === undefined || !uuidPattern.test(id)) throw new Error(`not a uuid: ${JSON.stringify(id)}`);
  return `'${id}'`;
}

/** UUIDs as a `uuid[]` literal. */
export function uuidArray(ids: readonly string[]): string {
  for (const id of ids) if (!uuidPattern.test(id)) throw new Error(`not a uuid: ${JSON.stringify(id)}`);
  return `'{${ids.join(',')}}'`;
}

/** An integer as a literal. */
export function int(value: number): string {
  if (!Number.isSafeInteger(value)) throw new Error(`not an integer: ${value}`);
  return String(value);
}

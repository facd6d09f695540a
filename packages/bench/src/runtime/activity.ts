import type pg from 'pg';

/**
 * Samples `pg_stat_activity` every `everyMs` while a phase runs: how many of Touchline's
 * backends are busy on average, and on what (CPU, a lock, WAL, the client). Says where the
 * database side of a phase's time goes.
 */
export function sampleActivity(client: pg.Client, everyMs = 50, applicationName = 'touchline%') {
  const counts = new Map<string, number>();
  const queries = new Map<string, number>();
  let samples = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const { rows } = await client.query<{ what: string; n: number }>(
        `select case when state = 'active' then coalesce(wait_event_type || ':' || wait_event, 'CPU')
                     else state end as what, count(*)::int as n
           from pg_stat_activity
          where application_name like $1 and pid <> pg_backend_pid() and backend_type = 'client backend'
          group by 1`,
        [applicationName],
      );
      samples++;
      for (const row of rows) counts.set(row.what, (counts.get(row.what) ?? 0) + row.n);
      const active = await client.query<{ q: string; n: number }>(
        // A prepared statement run by `execute` (its arguments inlined) counts under its name.
        `select left(regexp_replace(regexp_replace(query, '^(begin;\\s*)?(execute \\w+)\\(.*$', '\\1\\2'), '\\s+', ' ', 'g'), 70) as q,
                count(*)::int as n from pg_stat_activity
          where application_name like $1 and pid <> pg_backend_pid() and state = 'active' group by 1`,
        [applicationName],
      );
      for (const row of active.rows) queries.set(row.q, (queries.get(row.q) ?? 0) + row.n);
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    /** Average backends per state, busiest first, e.g. `CPU 1.3, IO:WalSync 0.2`. */
    async stop(): Promise<string> {
      stopped = true;
      await loop;
      return [...counts.entries()]
        .filter(([what]) => what !== 'idle')
        .map(([what, n]) => [what, n / Math.max(1, samples)] as const)
        .filter(([, average]) => average >= 0.05)
        .sort((a, b) => b[1] - a[1])
        .map(([what, average]) => `${what} ${average.toFixed(2)}`)
        .join(', ');
    },
    /** The statements most often seen running, with their average number of backends. */
    top(n = 4): string {
      return [...queries.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, n)
        .map(([q, count]) => `${(count / Math.max(1, samples)).toFixed(2)} × "${q}"`)
        .join('; ');
    },
  };
}

/** Autovacuum and autoanalyze runs so far, by table: a run during a window shares its two cores. */
export async function maintenanceRuns(client: pg.Client): Promise<Map<string, number>> {
  const { rows } = await client.query<{ t: string; n: number }>(
    'select relname as t, (autovacuum_count + autoanalyze_count)::int as n from pg_stat_user_tables',
  );
  return new Map(rows.map((r) => [r.t, r.n]));
}

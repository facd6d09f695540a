import type { Db } from '@touchline/db';
import { sql } from 'kysely';

/**
 * Re-adds a message's delivery job (`deliver:<id>`) to run after `delayMs`: how a provider's
 * `Retry-After` is honoured. The running job holds that key; graphile-worker's `add_job`
 * (mode `replace`) then takes the key off it and creates a new job, and the running one ends.
 */
export async function retryDeliveryAt(
  db: Db,
  workspaceId: string,
  messageId: string,
  delayMs: number,
): Promise<Date> {
  const { rows } = await sql<{ run_at: Date }>`
    select run_at from graphile_worker.add_job(
      'message_deliver',
      json_build_object('workspaceId', ${workspaceId}::uuid, 'messageId', ${messageId}::uuid),
      run_at => now() + make_interval(secs => ${delayMs / 1000}),
      job_key => ${`deliver:${messageId}`},
      job_key_mode => 'replace'
    )`.execute(db);
  return rows[0]?.run_at ?? new Date(Date.now() + delayMs);
}

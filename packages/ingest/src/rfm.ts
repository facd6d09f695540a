import type { DbOrTrx } from '@touchline/db';
import { sql } from 'kysely';

/**
 * Recomputes the RFM scores (recency, frequency, monetary; 1–5 each) of a workspace's customers
 * — its profiles with at least one order — in one statement, and clears the scores of profiles
 * that no longer have orders. Merged-away profiles are neither ranked nor written. Returns how
 * many profiles were written.
 *
 * Each score is a rank-based quintile, `1 + floor(5 × (rank − 1) / (customers − 1))` capped at 5,
 * i.e. `1 + floor(5 × percent_rank)` in integer arithmetic (no floating-point edge at the
 * boundaries). Not `ntile(5)`: ntile deals tied rows into different buckets by their arbitrary
 * order, so two customers with the same orders would get different scores. Not `cume_dist`
 * either: it places a tie group at its highest position, so when most customers ordered once
 * (the usual case) every one-time buyer would get a middling frequency of 3 or 4. With
 * `rank()` a tie group takes its lowest position — a score says what share of customers is
 * strictly below — so the lowest value always scores 1 and a unique best scores 5. Corollary: a
 * workspace where everyone ties (or with one customer) scores them all 1; nobody stands out.
 *
 * @example
 * const { profiles } = await recomputeRfm(db, workspaceId);
 */
export async function recomputeRfm(db: DbOrTrx, workspaceId: string): Promise<{ profiles: number }> {
  const result = await sql`
    with ranked as (
      select id,
             -- A customer whose order time is unknown counts as the least recent.
             rank() over (order by last_order_at asc nulls first) as recency_rank,
             rank() over (order by orders_count) as frequency_rank,
             rank() over (order by lifetime_value) as monetary_rank,
             count(*) over () as customers
        from profiles
       where workspace_id = ${workspaceId} and merged_into is null and orders_count > 0
    ),
    scored as (
      select id,
             least(5, 1 + 5 * (recency_rank - 1) / greatest(customers - 1, 1)) as recency,
             least(5, 1 + 5 * (frequency_rank - 1) / greatest(customers - 1, 1)) as frequency,
             least(5, 1 + 5 * (monetary_rank - 1) / greatest(customers - 1, 1)) as monetary
        from ranked
    ),
    -- Customers, and former customers who still carry scores; other profiles are left unwritten.
    -- Rows are locked in id order, the order ingestion locks profiles in, so the two cannot
    -- deadlock when an order arrives during the run.
    targets as (
      select t.id, s.recency, s.frequency, s.monetary
        from profiles t
        left join scored s on s.id = t.id
       where t.workspace_id = ${workspaceId} and t.merged_into is null
         and (s.id is not null or t.rfm_recency is not null or t.rfm_frequency is not null
              or t.rfm_monetary is not null)
       order by t.id
         for update of t
    )
    update profiles p
       set rfm_recency = x.recency,
           rfm_frequency = x.frequency,
           rfm_monetary = x.monetary,
           rfm_computed_at = now()
      from targets x
     where p.workspace_id = ${workspaceId} and p.id = x.id
       -- Re-checked on the row being written: a profile merged away meanwhile keeps no scores.
       and p.merged_into is null
  `.execute(db);
  return { profiles: Number(result.numAffectedRows ?? 0n) };
}

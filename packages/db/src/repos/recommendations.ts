import { sql } from 'kysely';
import type { DbOrTrx } from '../connection.js';

/** A catalog product with the units sold lately (`order_completed` events' `products`). */
export interface ProductSales {
  sku: string;
  name: string;
  price: number | null;
  currency: string | null;
  image_url: string | null;
  url: string | null;
  category: string | null;
  stock: number | null;
  unitsSold: number;
}

/**
 * What recommendations choose from, best sellers first: the cart's own products (for their
 * categories), products in those categories, and the catalog's best sellers overall, `limit`
 * of each. Units sold count `order_completed` (or `Order Completed`) events since `since`.
 */
export async function findRecommendationCandidates(
  db: DbOrTrx,
  workspaceId: string,
  query: { skus: readonly string[]; categories: readonly string[]; limit: number; since: Date },
): Promise<ProductSales[]> {
  const result = await sql<ProductSales & { price: string | null; units_sold: string }>`
    with sold as (
      select coalesce(line->>'sku', line->>'product_id') as sku,
             sum(case when jsonb_typeof(line->'quantity') = 'number' then (line->>'quantity')::numeric else 1 end)
               as units
        from events e
             cross join lateral jsonb_array_elements(
               case when jsonb_typeof(e.properties->'products') = 'array' then e.properties->'products'
                    else '[]'::jsonb end) as line
       where e.workspace_id = ${workspaceId} and e.event in ('order_completed', 'Order Completed')
         and e.timestamp >= ${query.since}
       group by 1
    ),
    ranked as (
      select p.sku, p.name, p.price, p.currency, p.image_url, p.url, p.category, p.stock,
             coalesce(s.units, 0) as units_sold
        from products p left join sold s on s.sku = p.sku
       where p.workspace_id = ${workspaceId}
    ),
    cart as (select * from ranked where sku = any(${query.skus as string[]}::text[])),
    related as (
      select * from ranked
       where category in (select category from cart union select unnest(${query.categories as string[]}::text[]))
       order by units_sold desc, sku limit ${query.limit * 2}
    ),
    top as (select * from ranked order by units_sold desc, sku limit ${query.limit * 2})
    select * from cart union select * from related union select * from top`.execute(db);
  return result.rows.map(({ units_sold, price, ...row }) => ({
    ...row,
    price: price === null ? null : Number(price),
    unitsSold: Number(units_sold),
  }));
}

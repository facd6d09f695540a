import { sql } from 'kysely';
import type { DbOrTrx } from '../connection.js';
import type { Product } from '../schema.js';

/** One catalog row as a feed sends it; absent optional fields are stored as null (`{}` for attributes). */
export interface ProductInput {
  sku: string;
  name: string;
  price?: number | null | undefined;
  currency?: string | null | undefined;
  imageUrl?: string | null | undefined;
  url?: string | null | undefined;
  category?: string | null | undefined;
  stock?: number | null | undefined;
  attributes?: Record<string, unknown> | undefined;
}

export interface UpsertProductsResult {
  inserted: number;
  updated: number;
  /** Sent again exactly as stored: not rewritten, their updated_at kept. */
  unchanged: number;
}

/**
 * Inserts or replaces products in one statement, whatever their number: each column travels as
 * one array parameter and `unnest` turns them back into rows. The skus must be distinct
 * (PostgreSQL refuses to update one row twice in a statement).
 */
export async function upsertProducts(
  db: DbOrTrx,
  workspaceId: string,
  products: readonly ProductInput[],
): Promise<UpsertProductsResult> {
  if (products.length === 0) return { inserted: 0, updated: 0, unchanged: 0 };
  const column = <T>(pick: (p: ProductInput) => T | null | undefined) => products.map((p) => pick(p) ?? null);
  const rows = sql`select ${workspaceId}::uuid, r.*
    from unnest(
      ${column((p) => p.sku)}::text[], ${column((p) => p.name)}::text[],
      ${column((p) => p.price)}::numeric[], ${column((p) => p.currency)}::text[],
      ${column((p) => p.imageUrl)}::text[], ${column((p) => p.url)}::text[],
      ${column((p) => p.category)}::text[], ${column((p) => p.stock)}::integer[],
      ${products.map((p) => JSON.stringify(p.attributes ?? {}))}::jsonb[]
    ) as r(sku, name, price, currency, image_url, url, category, stock, attributes)`;
  const written = await db
    .insertInto('products')
    .columns([
      'workspace_id',
      'sku',
      'name',
      'price',
      'currency',
      'image_url',
      'url',
      'category',
      'stock',
      'attributes',
    ])
    .expression(rows)
    .onConflict((oc) =>
      oc
        .columns(['workspace_id', 'sku'])
        .doUpdateSet({
          name: (eb) => eb.ref('excluded.name'),
          price: (eb) => eb.ref('excluded.price'),
          currency: (eb) => eb.ref('excluded.currency'),
          image_url: (eb) => eb.ref('excluded.image_url'),
          url: (eb) => eb.ref('excluded.url'),
          category: (eb) => eb.ref('excluded.category'),
          stock: (eb) => eb.ref('excluded.stock'),
          attributes: (eb) => eb.ref('excluded.attributes'),
          updated_at: sql`now()`,
        })
        // Feeds resend the whole catalog daily; rows that did not change are left alone.
        .where(
          sql<boolean>`(products.name, products.price, products.currency, products.image_url, products.url,
                        products.category, products.stock, products.attributes)
             is distinct from
             (excluded.name, excluded.price, excluded.currency, excluded.image_url, excluded.url,
              excluded.category, excluded.stock, excluded.attributes)`,
        ),
    )
    // xmax is 0 on a freshly inserted row version and the locking transaction's id on an update.
    .returning(sql<boolean>`xmax = 0`.as('inserted'))
    .execute();
  const inserted = written.filter((row) => row.inserted).length;
  const updated = written.length - inserted;
  return { inserted, updated, unchanged: products.length - written.length };
}

export interface ProductListFilter {
  category?: string | undefined;
  /** Case-insensitive substring of the sku or the name. */
  search?: string | undefined;
  limit: number;
  /** The last sku of the previous page. */
  afterSku?: string | undefined;
}

export interface ProductPage {
  products: Product[];
  /** The sku to pass as `afterSku` for the next page; null on the last page. */
  nextSku: string | null;
}

/** A page of the catalog in sku order (keyset: stable while rows are added or removed). */
export async function listProducts(
  db: DbOrTrx,
  workspaceId: string,
  filter: ProductListFilter,
): Promise<ProductPage> {
  let query = db.selectFrom('products').selectAll().where('workspace_id', '=', workspaceId);
  if (filter.category !== undefined) query = query.where('category', '=', filter.category);
  if (filter.search) {
    const pattern = `%${filter.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) => eb.or([eb('sku', 'ilike', pattern), eb('name', 'ilike', pattern)]));
  }
  if (filter.afterSku !== undefined) query = query.where('sku', '>', filter.afterSku);
  // One row past the page tells whether another page follows.
  const rows = await query
    .orderBy('sku')
    .limit(filter.limit + 1)
    .execute();
  const products = rows.slice(0, filter.limit);
  return { products, nextSku: rows.length > filter.limit ? (products.at(-1)?.sku ?? null) : null };
}

export async function findProduct(
  db: DbOrTrx,
  workspaceId: string,
  sku: string,
): Promise<Product | undefined> {
  return db
    .selectFrom('products')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('sku', '=', sku)
    .executeTakeFirst();
}

/** Whether the product existed. */
export async function deleteProduct(db: DbOrTrx, workspaceId: string, sku: string): Promise<boolean> {
  const result = await db
    .deleteFrom('products')
    .where('workspace_id', '=', workspaceId)
    .where('sku', '=', sku)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

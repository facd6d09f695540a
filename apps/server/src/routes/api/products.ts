import { deleteProduct, findProduct, listProducts, type Product, upsertProducts } from '@touchline/db';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notFound } from '../../errors.js';
import { workspaceOf } from '../../plugins/auth.js';
import type { Services } from '../../services.js';

const tags = ['products'];
const maxProducts = 5000;

const sku = z
  .string()
  .min(1, { error: 'must not be empty' })
  .max(200, { error: 'must be at most 200 characters' });
const httpUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .max(2048, { error: 'must be at most 2048 characters' });

const productInput = z.object({
  sku,
  name: z.string().trim().min(1, { error: 'must not be empty' }).max(500),
  price: z
    .number({ error: 'must be a number' })
    .min(0, { error: 'must not be negative' })
    // numeric(16, 2)
    .lt(1e14, { error: 'must be less than 100000000000000' })
    .nullish(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, { error: 'must be an ISO 4217 currency code of 3 capital letters, e.g. EUR' })
    .nullish(),
  imageUrl: httpUrl.nullish(),
  url: httpUrl.nullish(),
  category: z.string().min(1, { error: 'must not be empty' }).max(200).nullish(),
  stock: z
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number' })
    .min(0, { error: 'must not be negative' })
    .max(2_147_483_647)
    .nullish(),
  attributes: z.record(z.string(), z.unknown()).optional(),
});

const upsertBody = z.object({
  products: z
    .array(productInput)
    .min(1, { error: 'must hold at least one product' })
    .max(maxProducts, { error: `must hold at most ${maxProducts} products; send more in several requests` })
    .superRefine((products, ctx) => {
      const firstIndex = new Map<string, number>();
      products.forEach((product, index) => {
        const first = firstIndex.get(product.sku);
        if (first === undefined) firstIndex.set(product.sku, index);
        else {
          ctx.addIssue({
            code: 'custom',
            path: [index, 'sku'],
            message: `repeats the sku of body.products.${first}.sku (${JSON.stringify(product.sku)}); send each sku once`,
          });
        }
      });
    }),
});

const productResponse = z.object({
  sku: z.string(),
  name: z.string(),
  price: z.number().nullable(),
  currency: z.string().nullable(),
  imageUrl: z.string().nullable(),
  url: z.string().nullable(),
  category: z.string().nullable(),
  stock: z.number().int().nullable(),
  attributes: z.record(z.string(), z.unknown()),
  updatedAt: z.string(),
});

const listQuery = z.object({
  category: z.string().max(200).optional().describe('only products of this category'),
  q: z.string().max(200).optional().describe('a case-insensitive part of the sku or the name'),
  limit: z.coerce
    .number({ error: 'must be a number from 1 to 500' })
    .int({ error: 'must be a whole number' })
    .min(1, { error: 'must be at least 1' })
    .max(500, { error: 'must be at most 500' })
    .default(100),
  cursor: z.string().max(200).optional().describe('the nextCursor of the previous page'),
});

const skuParams = z.object({ sku });

function toBody(row: Product): z.infer<typeof productResponse> {
  return {
    sku: row.sku,
    name: row.name,
    // numeric comes back as a string; two decimals fit a JS number exactly enough for display and Liquid.
    price: row.price === null ? null : Number(row.price),
    currency: row.currency,
    imageUrl: row.image_url,
    url: row.url,
    category: row.category,
    stock: row.stock,
    attributes: row.attributes,
    updatedAt: row.updated_at.toISOString(),
  };
}

/** The product catalog that recommendation blocks in messages draw from. */
export async function productRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = services;

  r.put(
    '/products',
    {
      // 5,000 products with attributes do not fit in the default 1 MB.
      bodyLimit: 16 * 1024 * 1024,
      schema: {
        tags,
        summary: 'Insert or replace products, up to 5,000 per request',
        description:
          'Each product is stored as sent: an optional field left out is cleared. Products not in the request are kept. The answer counts new products, changed ones and those sent again unchanged.',
        body: upsertBody,
        response: {
          200: z.object({
            inserted: z.number().int(),
            updated: z.number().int(),
            unchanged: z.number().int(),
          }),
        },
      },
    },
    async (request) => upsertProducts(db, workspaceOf(request), request.body.products),
  );

  r.get(
    '/products',
    {
      schema: {
        tags,
        summary: 'List products in sku order',
        description:
          'Pages by sku: pass the `nextCursor` of an answer as `cursor` to read the next page; `nextCursor` is null on the last page.',
        querystring: listQuery,
        response: {
          200: z.object({ products: z.array(productResponse), nextCursor: z.string().nullable() }),
        },
      },
    },
    async (request) => {
      const { category, q, limit, cursor } = request.query;
      const page = await listProducts(db, workspaceOf(request), {
        category: category || undefined,
        search: q,
        limit,
        afterSku: cursor || undefined,
      });
      return { products: page.products.map(toBody), nextCursor: page.nextSku };
    },
  );

  r.get(
    '/products/:sku',
    { schema: { tags, summary: 'A product', params: skuParams, response: { 200: productResponse } } },
    async (request) => {
      const row = await findProduct(db, workspaceOf(request), request.params.sku);
      if (!row) throw notFound(`product ${request.params.sku} not found`);
      return toBody(row);
    },
  );

  r.delete(
    '/products/:sku',
    {
      schema: { tags, summary: 'Delete a product', params: skuParams, response: { 204: z.null() } },
    },
    async (request, reply) => {
      if (!(await deleteProduct(db, workspaceOf(request), request.params.sku))) {
        throw notFound(`product ${request.params.sku} not found`);
      }
      return reply.status(204).send(null);
    },
  );
}

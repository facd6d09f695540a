import { createWorkspace } from '@touchline/db';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { adminHeaders, createTestApp, type TestApp } from '../../../test/test-app.js';

interface ProductBody {
  sku: string;
  name: string;
  price: number | null;
  currency: string | null;
  imageUrl: string | null;
  url: string | null;
  category: string | null;
  stock: number | null;
  attributes: Record<string, unknown>;
  updatedAt: string;
}

describe('products API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());
  beforeEach(async () => {
    await t.database.db.deleteFrom('products').execute();
  });

  const api = (method: 'GET' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
    t.app.inject({
      method,
      url,
      headers: adminHeaders,
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
  const put = (products: unknown[]) => api('PUT', '/api/products', { products });

  it('inserts new products and answers them with the price as a number', async () => {
    const response = await put([
      {
        sku: 'SHOE-1',
        name: 'Trail runner',
        price: 89.9,
        currency: 'EUR',
        imageUrl: 'https://cdn.example.com/shoe-1.jpg',
        url: 'https://shop.example.com/p/shoe-1',
        category: 'shoes',
        stock: 12,
        attributes: { colour: 'red', sizes: [40, 41] },
      },
      { sku: 'SOCK-1', name: 'Wool socks' },
    ]);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ inserted: 2, updated: 0, unchanged: 0 });

    const shoe = (await api('GET', '/api/products/SHOE-1')).json() as ProductBody;
    expect(shoe).toMatchObject({
      sku: 'SHOE-1',
      name: 'Trail runner',
      price: 89.9,
      currency: 'EUR',
      imageUrl: 'https://cdn.example.com/shoe-1.jpg',
      url: 'https://shop.example.com/p/shoe-1',
      category: 'shoes',
      stock: 12,
      attributes: { colour: 'red', sizes: [40, 41] },
    });
    expect(new Date(shoe.updatedAt).toISOString()).toBe(shoe.updatedAt);
    const sock = (await api('GET', '/api/products/SOCK-1')).json() as ProductBody;
    expect(sock).toMatchObject({ price: null, currency: null, stock: null, attributes: {} });
  });

  it('tells updated products from inserted and unchanged ones, and replaces each product as sent', async () => {
    await put([
      { sku: 'A', name: 'Alpha', price: 10, category: 'x' },
      { sku: 'B', name: 'Beta', price: 20 },
    ]);
    const response = await put([
      { sku: 'A', name: 'Alpha', price: 12.5 },
      { sku: 'B', name: 'Beta', price: 20 },
      { sku: 'C', name: 'Gamma' },
    ]);
    expect(response.json()).toEqual({ inserted: 1, updated: 1, unchanged: 1 });
    // A product is replaced as a whole: the category A no longer sends is cleared.
    expect((await api('GET', '/api/products/A')).json()).toMatchObject({ price: 12.5, category: null });
  });

  it('upserts 5,000 products in one request larger than the default 1 MB body limit', async () => {
    const products = Array.from({ length: 5000 }, (_, i) => ({
      sku: `SKU-${String(i).padStart(5, '0')}`,
      name: `Product ${i}`,
      price: i / 100,
      attributes: { rank: i, description: 'Soft, warm and hard-wearing. '.repeat(10) },
    }));
    expect(JSON.stringify({ products }).length).toBeGreaterThan(1024 * 1024);
    const first = await put(products);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ inserted: 5000, updated: 0, unchanged: 0 });
    const second = await put(products.map((p, i) => (i % 2 === 0 ? { ...p, stock: 1 } : p)));
    expect(second.json()).toEqual({ inserted: 0, updated: 2500, unchanged: 2500 });
  });

  it('refuses the same sku twice in one request, naming both indexes', async () => {
    const response = await put([
      { sku: 'A', name: 'Alpha' },
      { sku: 'B', name: 'Beta' },
      { sku: 'C', name: 'Gamma' },
      { sku: 'B', name: 'Beta again' },
    ]);
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toBe(
      'body.products.3.sku: repeats the sku of body.products.1.sku ("B"); send each sku once',
    );
    expect((await api('GET', '/api/products')).json().products).toEqual([]);
  });

  it.each([
    [{ name: 'No sku' }, 'body.products.0.sku: is required'],
    [{ sku: '', name: 'Empty sku' }, 'body.products.0.sku: must not be empty'],
    [{ sku: 'x'.repeat(201), name: 'Long sku' }, 'body.products.0.sku: must be at most 200 characters'],
    [{ sku: 'A' }, 'body.products.0.name: is required'],
    [{ sku: 'A', name: 'A', price: -1 }, 'body.products.0.price: must not be negative'],
    [{ sku: 'A', name: 'A', price: '12' }, 'body.products.0.price: must be a number'],
    [
      { sku: 'A', name: 'A', currency: 'euro' },
      'body.products.0.currency: must be an ISO 4217 currency code of 3 capital letters, e.g. EUR',
    ],
    [{ sku: 'A', name: 'A', url: 'ftp://example.com/a' }, 'body.products.0.url: must be an http(s) URL'],
    [{ sku: 'A', name: 'A', imageUrl: 'not a url' }, 'body.products.0.imageUrl: must be an http(s) URL'],
    [{ sku: 'A', name: 'A', stock: 1.5 }, 'body.products.0.stock: must be a whole number'],
    [{ sku: 'A', name: 'A', stock: -2 }, 'body.products.0.stock: must not be negative'],
  ])('refuses an invalid product %j naming the field', async (product, message) => {
    const response = await put([product]);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'validation_failed', message });
  });

  it('refuses an empty list and more than 5,000 products', async () => {
    const empty = await put([]);
    expect(empty.statusCode).toBe(400);
    expect(empty.json().message).toBe('body.products: must hold at least one product');
    const tooMany = await put(Array.from({ length: 5001 }, (_, i) => ({ sku: `S${i}`, name: 'n' })));
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().message).toMatch(/^body\.products: must hold at most 5000 products/);
  });

  it('pages through the catalog by sku, filtered by category and by search', async () => {
    await put([
      { sku: 'b-2', name: 'Blue shirt', category: 'shirts' },
      { sku: 'a-1', name: 'Red shirt', category: 'shirts' },
      { sku: 'c-3', name: 'Green hat', category: 'hats' },
      { sku: 'd-4', name: 'Blue hat', category: 'hats' },
      { sku: 'e_5', name: 'Scarf', category: 'scarves' },
    ]);
    const skus: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?limit=2&cursor=${encodeURIComponent(cursor)}` : '?limit=2';
      const page = (await api('GET', `/api/products${query}`)).json();
      skus.push(...page.products.map((p: ProductBody) => p.sku));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(skus).toEqual(['a-1', 'b-2', 'c-3', 'd-4', 'e_5']);
    expect(pages).toBe(3);

    const hats = (await api('GET', '/api/products?category=hats')).json();
    expect(hats.products.map((p: ProductBody) => p.sku)).toEqual(['c-3', 'd-4']);
    const blue = (await api('GET', '/api/products?q=BLUE')).json();
    expect(blue.products.map((p: ProductBody) => p.sku)).toEqual(['b-2', 'd-4']);
    const bySku = (await api('GET', '/api/products?q=C-3')).json();
    expect(bySku.products.map((p: ProductBody) => p.sku)).toEqual(['c-3']);
    // LIKE wildcards in q are taken literally.
    const underscore = (await api('GET', '/api/products?q=_')).json();
    expect(underscore.products.map((p: ProductBody) => p.sku)).toEqual(['e_5']);
    const blueHats = (await api('GET', '/api/products?category=hats&q=blue')).json();
    expect(blueHats).toEqual({ products: [expect.objectContaining({ sku: 'd-4' })], nextCursor: null });
  });

  it('refuses a limit out of range naming the field', async () => {
    const response = await api('GET', '/api/products?limit=0');
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toBe('querystring.limit: must be at least 1');
  });

  it('finds a sku that needs URL encoding', async () => {
    await put([{ sku: 'A/B 1', name: 'Slashed' }]);
    const response = await api('GET', `/api/products/${encodeURIComponent('A/B 1')}`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().sku).toBe('A/B 1');
  });

  it('deletes a product, then answers 404 for it', async () => {
    await put([{ sku: 'GONE', name: 'Soon gone' }]);
    expect((await api('DELETE', '/api/products/GONE')).statusCode).toBe(204);
    const missing = await api('GET', '/api/products/GONE');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().message).toBe('product GONE not found');
    expect((await api('DELETE', '/api/products/GONE')).statusCode).toBe(404);
  });

  it('neither shows nor touches another workspace’s products', async () => {
    const other = await createWorkspace(t.database.db, 'Other shop');
    await t.database.db
      .insertInto('products')
      .values({ workspace_id: other.id, sku: 'SHARED', name: 'Theirs', price: 5 })
      .execute();
    expect((await api('GET', '/api/products/SHARED')).statusCode).toBe(404);
    expect((await api('GET', '/api/products')).json().products).toEqual([]);
    expect((await api('DELETE', '/api/products/SHARED')).statusCode).toBe(404);

    // The same sku in this workspace is a product of its own.
    expect((await put([{ sku: 'SHARED', name: 'Ours' }])).json()).toEqual({
      inserted: 1,
      updated: 0,
      unchanged: 0,
    });
    const theirs = await t.database.db
      .selectFrom('products')
      .select(['name', 'price'])
      .where('workspace_id', '=', other.id)
      .executeTakeFirstOrThrow();
    expect(theirs).toEqual({ name: 'Theirs', price: '5.00' });
  });
});

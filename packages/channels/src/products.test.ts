import { describe, expect, it } from 'vitest';
import { cartOf, type ProductCandidate, selectRecommendations } from './products.js';

const product = (
  sku: string,
  category: string | null,
  unitsSold: number,
  stock: number | null = 10,
): ProductCandidate => ({
  sku,
  name: sku,
  price: 10,
  currency: 'EUR',
  image_url: null,
  url: null,
  category,
  stock,
  unitsSold,
});

describe('selectRecommendations', () => {
  it('recommends best sellers of the cart’s categories first, then the catalog’s, never the cart or what is out of stock', () => {
    const cart = cartOf({ items: [{ sku: 'shoe-1', name: 'Shoe' }] });
    const picked = selectRecommendations(
      cart,
      [
        product('shoe-1', 'shoes', 50),
        product('shoe-2', 'shoes', 5),
        product('shoe-3', 'shoes', 9),
        product('shoe-4', 'shoes', 99, 0),
        product('hat-1', 'hats', 80),
        product('sock-1', 'socks', 20),
      ],
      4,
    );
    expect(picked.map((p) => p.sku)).toEqual(['shoe-3', 'shoe-2', 'hat-1', 'sock-1']);
    expect(picked[0]).not.toHaveProperty('unitsSold');
  });

  it('reads skus and categories from `items` or Segment’s `products`', () => {
    expect(cartOf({ products: [{ product_id: 'p1', category: 'c1' }, { sku: 'p2' }, null] })).toEqual({
      skus: ['p1', 'p2'],
      categories: ['c1'],
    });
    expect(cartOf(null)).toEqual({ skus: [], categories: [] });
  });
});

/** A catalog product as templates see it (`{{ product.name }}`, `{{ product.image_url }}`). */
export interface RecommendedProduct {
  sku: string;
  name: string;
  price: number | null;
  currency: string | null;
  image_url: string | null;
  url: string | null;
  category: string | null;
}

/** A catalog row offered for recommendation, with what it sold lately. */
export interface ProductCandidate extends RecommendedProduct {
  unitsSold: number;
  stock: number | null;
}

/** What a cart line may carry (Segment's ecommerce spec: `sku` or `product_id`, `category`). */
export interface CartItem {
  sku?: unknown;
  product_id?: unknown;
  category?: unknown;
}

/** The skus and categories of a trigger event's `items` (or `products`) list. */
export function cartOf(properties: Record<string, unknown> | null | undefined): {
  skus: string[];
  categories: string[];
} {
  const list = properties?.items ?? properties?.products;
  const skus = new Set<string>();
  const categories = new Set<string>();
  if (Array.isArray(list)) {
    for (const item of list as CartItem[]) {
      if (!item || typeof item !== 'object') continue;
      const sku =
        typeof item.sku === 'string'
          ? item.sku
          : typeof item.product_id === 'string'
            ? item.product_id
            : null;
      if (sku) skus.add(sku);
      if (typeof item.category === 'string') categories.add(item.category);
    }
  }
  return { skus: [...skus], categories: [...categories] };
}

/**
 * Recommendations for one message: products related to the cart (same category as a cart item,
 * the cart's own items excluded), best sellers first, then the catalog's best sellers to fill
 * `limit`. Out-of-stock products are never recommended.
 */
export function selectRecommendations(
  cart: { skus: readonly string[]; categories: readonly string[] },
  candidates: readonly ProductCandidate[],
  limit: number,
): RecommendedProduct[] {
  const inCart = new Set(cart.skus);
  const categories = new Set(cart.categories);
  for (const candidate of candidates) {
    if (inCart.has(candidate.sku) && candidate.category) categories.add(candidate.category);
  }
  const eligible = candidates.filter((c) => !inCart.has(c.sku) && (c.stock === null || c.stock > 0));
  const byUnits = (a: ProductCandidate, b: ProductCandidate) =>
    b.unitsSold - a.unitsSold || (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0);
  const related = eligible.filter((c) => c.category !== null && categories.has(c.category)).sort(byUnits);
  const others = eligible.filter((c) => !related.includes(c)).sort(byUnits);
  return [...related, ...others].slice(0, limit).map(({ unitsSold: _u, stock: _s, ...product }) => product);
}

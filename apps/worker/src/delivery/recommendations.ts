import { cartOf, selectRecommendations } from '@touchline/channels';
import { type DbOrTrx, findRecommendationCandidates } from '@touchline/db';
import type { Delivery } from './delivery.js';

/**
 * `products` in a message: recommendations for the event's cart (its items' categories, then
 * best sellers), as many as the delivery is set to show. Used by delivery and by previews.
 */
export async function recommendedProducts(
  db: DbOrTrx,
  delivery: Pick<Delivery, 'recommendations' | 'salesWindowDays'>,
  workspaceId: string,
  event: Record<string, unknown> | null,
): Promise<Array<Record<string, unknown>>> {
  const cart = cartOf((event?.properties ?? null) as Record<string, unknown> | null);
  const candidates = await findRecommendationCandidates(db, workspaceId, {
    ...cart,
    limit: delivery.recommendations,
    since: new Date(Date.now() - delivery.salesWindowDays * 86_400_000),
  });
  return selectRecommendations(cart, candidates, delivery.recommendations) as unknown as Array<
    Record<string, unknown>
  >;
}

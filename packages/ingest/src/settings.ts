import { z } from 'zod';

/**
 * The workspace settings ingestion reads. Stored in `workspaces.settings` (jsonb) beside
 * settings other parts own, so unknown keys are kept, not stripped.
 */
export const ingestSettingsSchema = z.object({
  /** The track event that counts as an order for orders_count, lifetime_value, last_order_at. */
  orderEvent: z.string().trim().min(1).max(200).default('order_completed'),
  /** The property of the order event that holds its revenue (a number or a numeric string). */
  revenueProperty: z.string().trim().min(1).max(200).default('revenue'),
});

export type IngestSettings = z.infer<typeof ingestSettingsSchema>;

export const defaultIngestSettings: IngestSettings = ingestSettingsSchema.parse({});

/** Reads the ingestion settings out of a workspace's settings, falling back to defaults per key. */
export function ingestSettingsOf(settings: unknown): IngestSettings {
  const source = (settings && typeof settings === 'object' ? settings : {}) as Record<string, unknown>;
  const parsed = ingestSettingsSchema.safeParse({
    orderEvent: source.orderEvent,
    revenueProperty: source.revenueProperty,
  });
  return parsed.success ? parsed.data : defaultIngestSettings;
}

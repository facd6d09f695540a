import { z } from 'zod';
import { parseDuration } from './duration.js';
import { positiveDurationSchema } from './graph/primitives.js';

const channels = ['email', 'sms', 'push', 'whatsapp', 'inapp', 'webhook'] as const;
const perChannel = <T extends z.ZodType>(value: T) => z.partialRecord(z.enum(channels), value);

/**
 * A workspace's rules for every marketing send (workspace `settings.messaging`): consent
 * defaults per channel, caps per channel, and the least time between two messages of a channel.
 *
 * @example
 * messagingSettingsSchema.parse({ consent: { email: 'opt_in' }, caps: { sms: { perDay: 1 } }, minInterval: 'PT4H' });
 */
export const messagingSettingsSchema = z.strictObject({
  /** `opt_out` (the default): send unless the profile said no; `opt_in`: only after a yes. */
  consent: perChannel(z.enum(['opt_in', 'opt_out'], { error: 'must be "opt_in" or "opt_out"' })).optional(),
  caps: perChannel(
    z.strictObject({
      perDay: z.int().min(1, { error: 'must be at least 1' }).optional(),
      perWeek: z.int().min(1, { error: 'must be at least 1' }).optional(),
    }),
  ).optional(),
  minInterval: positiveDurationSchema.optional(),
  /** Deliveries per second per channel across the workspace: paced (rescheduled), never dropped. */
  rateLimits: perChannel(
    z.strictObject({ perSecond: z.number().positive({ error: 'must be more than 0' }).max(10_000) }),
  ).optional(),
  /** Marketing sends per channel and UTC day across the workspace; a send over it is suppressed. */
  budget: perChannel(z.strictObject({ perDay: z.int().min(0, { error: 'must be 0 or more' }) })).optional(),
  /** A send loses to a higher-priority journey's send of the same channel within this window. */
  priorityWindow: positiveDurationSchema.optional(),
});

export type MessagingSettings = z.infer<typeof messagingSettingsSchema>;

/** The runtime's form of the settings; anything unreadable counts as unset. */
export function messagingPolicyOf(settings: unknown): {
  consent: Record<string, 'opt_in' | 'opt_out'>;
  caps: Record<string, { perDay?: number; perWeek?: number }>;
  minIntervalMs: number | null;
  budget: Record<string, { perDay: number }>;
  priorityWindowMs: number | null;
} {
  const parsed = messagingSettingsSchema.safeParse(settings ?? {});
  const value = parsed.success ? parsed.data : {};
  return {
    consent: { ...value.consent },
    caps: { ...value.caps },
    minIntervalMs: value.minInterval ? parseDuration(value.minInterval) : null,
    budget: { ...value.budget },
    priorityWindowMs: value.priorityWindow ? parseDuration(value.priorityWindow) : null,
  };
}

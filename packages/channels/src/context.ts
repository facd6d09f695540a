import { type LiquidEngines, parseLiquid, renderLiquid } from './liquid.js';

/** A profile as stored, reduced to what templates may read. */
export interface ProfileForTemplates {
  user_id: string | null;
  email: string | null;
  phone: string | null;
  timezone: string | null;
  locale: string | null;
  traits: Record<string, unknown>;
  computed: Record<string, unknown>;
  orders_count?: number | null | undefined;
  lifetime_value?: string | number | null | undefined;
  last_order_at?: Date | string | null | undefined;
}

/**
 * `profile` in Liquid: traits at the top level, as marketers write them
 * (`{{ profile.first_name }}`), then the profile's own fields, plus `traits` and `computed`.
 */
export function profileForTemplates(profile: ProfileForTemplates): Record<string, unknown> {
  const computed = {
    ...profile.computed,
    orders_count: profile.orders_count ?? 0,
    lifetime_value: Number(profile.lifetime_value ?? 0),
    last_order_at:
      profile.last_order_at instanceof Date
        ? profile.last_order_at.toISOString()
        : (profile.last_order_at ?? null),
  };
  return {
    ...profile.traits,
    user_id: profile.user_id,
    email: profile.email ?? (profile.traits.email as string | undefined) ?? null,
    phone: profile.phone ?? (profile.traits.phone as string | undefined) ?? null,
    timezone: profile.timezone,
    locale: profile.locale,
    traits: profile.traits,
    computed,
  };
}

/**
 * The string fields of a non-email template (an SMS's `text`, a push's `title` and `body`)
 * rendered as Liquid, the rest kept. Short texts: parsed per message.
 */
export function renderTextFields(
  content: Record<string, unknown>,
  scope: Record<string, unknown>,
  engines: LiquidEngines,
): Record<string, unknown> {
  const rendered: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(content)) {
    if (typeof value === 'string' && field !== 'channel') {
      rendered[field] = renderLiquid(engines.text, field, parseLiquid(engines.text, field, value), scope);
    } else if (Array.isArray(value)) {
      rendered[field] = value.map((item, index) =>
        typeof item === 'string'
          ? renderLiquid(
              engines.text,
              `${field}.${index}`,
              parseLiquid(engines.text, `${field}.${index}`, item),
              scope,
            )
          : item,
      );
    } else {
      rendered[field] = value;
    }
  }
  return rendered;
}

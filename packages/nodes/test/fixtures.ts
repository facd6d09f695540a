import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const directory = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** The fixture journeys, by name (`abandoned-cart` for `abandoned-cart.journey.json`). */
export const fixtureNames: readonly string[] = readdirSync(directory)
  .filter((file) => file.endsWith('.journey.json'))
  .map((file) => file.replace(/\.journey\.json$/, ''))
  .sort();

/** A fresh copy each call, so a test can break it freely. */
export function loadFixture(name: string): {
  schemaVersion: number;
  nodes: {
    id: string;
    type: string;
    typeVersion?: number;
    config: Record<string, unknown>;
    position: { x: number; y: number };
  }[];
  edges: { id: string; source: string; sourcePort: string; target: string }[];
  settings: Record<string, unknown>;
} {
  return JSON.parse(readFileSync(`${directory}${name}.journey.json`, 'utf8'));
}

export function goldenPath(name: string): string {
  return `${directory}${name}.golden.json`;
}

export function readGolden(name: string): string | null {
  try {
    return readFileSync(goldenPath(name), 'utf8');
  } catch {
    return null;
  }
}

export function writeGolden(name: string, text: string): void {
  writeFileSync(goldenPath(name), text);
}

/** The workspace's templates and segments, as the server would pass them to `compile`. */
export const knownReferences = {
  templates: new Set([
    'tpl_abandoned_cart',
    'tpl_cart_discount_sms',
    'tpl_winback_we_miss_you',
    'tpl_winback_15_off',
    'tpl_winback_last_chance',
    'tpl_welcome',
    'tpl_tips',
    'tpl_customer_story',
    'tpl_push_create_project',
    'tpl_vip_thanks_whatsapp',
    'tpl_loyal_thanks',
    'tpl_inapp_first_order',
    'tpl_order_thanks',
  ]),
  segments: new Set(['seg_lapsed_repeat_buyers', 'seg_vip']),
};

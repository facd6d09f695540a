import pg from 'pg';

export const ADMIN_TOKEN = 'tl_admin_bench_token_0123456789';

/** The admin API of a running Touchline, with the bench's Bearer token. */
export class Admin {
  /** Changes when the bench restarts Touchline. */
  constructor(public url: string) {}

  async call(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${ADMIN_TOKEN}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  }

  async emailTemplate(name: string): Promise<string> {
    const created = await this.call('POST', '/api/templates', {
      name,
      channel: 'email',
      subject: 'Hi {{ profile.traits.first_name }}',
      mjml: '<mjml><mj-body><mj-text>{{ event.properties.name }}</mj-text></mj-body></mjml>',
    });
    return created.id as string;
  }

  /** Creates and publishes a journey; returns its id. */
  async publish(name: string, graph: unknown): Promise<string> {
    const created = await this.call('POST', '/api/journeys', { name, graph });
    const id = created.id as string;
    await this.call('POST', `/api/journeys/${id}/publish`, {});
    return id;
  }

  async pause(id: string): Promise<void> {
    await this.call('POST', `/api/journeys/${id}/pause`, {});
  }
}

const node = (id: string, type: string, config: unknown) => ({ id, type, config, position: { x: 0, y: 0 } });
type Conditions = { all: Array<{ fact: string; path: string; operator: string; value: unknown }> };

/**
 * trigger → (send email) → wait → exit, re-entry `always`: every matching event enrolls, sends
 * and leaves a waiting enrollment behind — the runtime's whole write path for each event.
 */
export function sendThenWait(
  event: string,
  conditions: Conditions | undefined,
  templateId: string | null,
  wait: string,
) {
  const nodes = [
    node('start', 'trigger.event', { event, ...(conditions ? { conditions } : {}) }),
    ...(templateId ? [node('email', 'send.email', { templateId })] : []),
    node('pause', 'wait.duration', { duration: wait }),
    node('done', 'exit', {}),
  ];
  const edges = templateId
    ? [
        { id: 'e1', source: 'start', sourcePort: 'out', target: 'email' },
        { id: 'e2', source: 'email', sourcePort: 'out', target: 'pause' },
        { id: 'e3', source: 'email', sourcePort: 'suppressed', target: 'pause' },
        { id: 'e4', source: 'pause', sourcePort: 'out', target: 'done' },
      ]
    : [
        { id: 'e1', source: 'start', sourcePort: 'out', target: 'pause' },
        { id: 'e4', source: 'pause', sourcePort: 'out', target: 'done' },
      ];
  return { schemaVersion: 1, nodes, edges, settings: { reentry: 'always' } };
}

const where = (path: string, operator: string, value: unknown): Conditions => ({
  all: [{ fact: 'event', path, operator, value }],
});

/**
 * A shop's 100 live journeys over the bench traffic (traffic.ts prices are 5 + k × 4.75, k < 40):
 * 40 on product views, one per price band, so each view enrolls in exactly one; 30 on cart
 * updates and 20 on orders, of which one each matches (the others test a currency no event
 * has); 10 on an event the traffic never sends. Every tracked event of the mix is evaluated
 * against all the journeys of its name and enrolls in one. Journey 40 (carts in EUR) is the
 * single journey of the 1-journey case.
 */
export function shopJourneys(templateId: string): Array<{ name: string; graph: unknown }> {
  const journeys: Array<{ name: string; graph: unknown }> = [];
  for (let k = 0; k < 100; k++) {
    let event: string;
    let conditions: Conditions | undefined;
    if (k < 40) {
      event = 'product_viewed';
      const low = 5 + k * 4.75 - 1;
      conditions = {
        all: [
          { fact: 'event', path: 'properties.price', operator: 'greaterThanInclusive', value: low },
          { fact: 'event', path: 'properties.price', operator: 'lessThan', value: low + 4.75 },
        ],
      };
    } else if (k < 70) {
      event = 'cart_updated';
      conditions = where('properties.currency', 'equal', k === 40 ? 'EUR' : `X${k}`);
    } else if (k < 90) {
      event = 'order_completed';
      conditions =
        k === 70
          ? where('properties.revenue', 'greaterThan', 0)
          : where('properties.currency', 'equal', `X${k}`);
    } else {
      event = 'newsletter_signup';
    }
    journeys.push({
      name: `shop ${k} (${event})`,
      graph: sendThenWait(event, conditions, templateId, 'P1D'),
    });
  }
  // The single journey first.
  const single = journeys.splice(40, 1)[0] as { name: string; graph: unknown };
  return [single, ...journeys];
}

/** A client of the bench's database, for the bench's own reads. */
export async function connect(databaseUrl: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: databaseUrl });
  // The database stopping under an open client (a failed run's clean-up) must not hide the error.
  client.on('error', () => {});
  await client.connect();
  return client;
}

/** Polls until nothing is left in the journey inbox; returns when (performance.now()). */
export async function inboxDrained(client: pg.Client, timeoutMs: number): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const { rows } = await client.query<{ n: number }>(
      'select count(*)::int as n from journey_inbox where attempts < 5',
    );
    if ((rows[0]?.n ?? 0) === 0) return performance.now();
    if (performance.now() > deadline) throw new Error(`journey inbox not drained within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function workspaceOf(client: pg.Client): Promise<string> {
  const { rows } = await client.query<{ id: string }>(
    'select id from workspaces order by created_at limit 1',
  );
  const id = rows[0]?.id;
  if (!id) throw new Error('Touchline created no workspace');
  return id;
}

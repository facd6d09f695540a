import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import {
  type CompiledEmailTemplate,
  compileEmailTemplate,
  createLiquidEngines,
  createSmtpAdapter,
  type EmailLinks,
  type MessageContext,
  renderEmail,
} from '@touchline/channels';
import nodemailer from 'nodemailer';
import { measure } from '../measure.js';
import type { BenchRow, BenchSuite } from '../suite.js';

/** An abandoned-cart email as a marketer would write it: header, a loop of cart items, a footer. */
const template = {
  subject: '{{ profile.first_name | default: "Hi" }}, your cart is waiting',
  preheader: '{{ event.properties.items | size }} items saved for you',
  mjml: `<mjml>
  <mj-head><mj-attributes><mj-all font-family="Helvetica, Arial, sans-serif" /></mj-attributes></mj-head>
  <mj-body background-color="#f4f4f4">
    <mj-section background-color="#ffffff"><mj-column>
      <mj-image src="https://shop.test/logo.png" width="120px" alt="Shop" />
      <mj-text font-size="20px">Hi {{ profile.first_name }}, you left these behind:</mj-text>
    </mj-column></mj-section>
    {% for item in event.properties.items %}
    <mj-section background-color="#ffffff">
      <mj-column width="30%"><mj-image src="{{ item.image_url }}" alt="{{ item.name }}" href="{{ item.url }}" /></mj-column>
      <mj-column width="70%">
        <mj-text font-weight="bold">{{ item.name }}</mj-text>
        <mj-text>{{ item.quantity }} × {{ item.price }} {{ event.properties.currency }}</mj-text>
      </mj-column>
    </mj-section>
    {% endfor %}
    <mj-section background-color="#ffffff"><mj-column>
      <mj-text>Total: {{ event.properties.total }} {{ event.properties.currency }}</mj-text>
      <mj-button href="https://shop.test/cart?utm_source=email">Back to your cart</mj-button>
    </mj-column></mj-section>
    <mj-section><mj-column>
      <mj-text font-size="11px" color="#888888">You get this because you shop with us. <a href="{{ unsubscribe_url }}">Unsubscribe</a></mj-text>
    </mj-column></mj-section>
  </mj-body>
</mjml>`,
};

const names = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken'];

function contextFor(index: number): MessageContext {
  const items = [0, 1, 2].map((n) => ({
    sku: `SKU-${(index + n) % 500}`,
    name: `Product ${(index + n) % 500}`,
    price: 10 + ((index + n) % 90),
    quantity: 1 + (n % 2),
    url: `https://shop.test/p/${(index + n) % 500}`,
    image_url: `https://img.shop.test/${(index + n) % 500}.jpg`,
  }));
  return {
    profile: {
      user_id: `u${index}`,
      first_name: names[index % names.length],
      email: `u${index}@example.com`,
    },
    event: { event: 'cart_updated', properties: { items, currency: 'EUR', total: 123 } },
    journey: { name: 'Abandoned cart' },
    products: [],
  };
}

function linksFor(index: number): EmailLinks {
  return {
    openPixelUrl: `https://t.shop.test/t/o/${index}.sig`,
    clickUrl: (href) => `https://t.shop.test/t/c/${index}.sig?u=${encodeURIComponent(href)}`,
    unsubscribeUrl: `https://t.shop.test/u/${index}.sig`,
  };
}

/** smtp-server in a child process, so the client measured here has this core to itself. */
async function startSmtpSink(): Promise<{ port: number; stop: () => void }> {
  const smtpServer = createRequire(import.meta.url).resolve('smtp-server');
  const script = `
    const { SMTPServer } = require(${JSON.stringify(smtpServer)});
    const server = new SMTPServer({ authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false,
      onData(stream, session, callback) { stream.on('data', () => {}); stream.on('end', () => callback()); } });
    server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.server.address().port) + '\\n'));`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.once('data', (data: Buffer) => resolve(Number(data.toString().trim())));
    child.once('exit', (code) => reject(new Error(`smtp sink exited with ${code}`)));
  });
  return { port, stop: () => child.kill() };
}

async function sendAll(
  count: number,
  concurrency: number,
  send: (index: number) => Promise<unknown>,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const index = next;
        next += 1;
        await send(index);
      }
    }),
  );
  return performance.now() - started;
}

/**
 * Personalised emails per second per core from the cached compiled template, beside MJML
 * compiled per message in the same run (the reference); then SMTP deliveries per second to a
 * local smtp-server through the pooled adapter, beside a connection per message.
 */
export const suite: BenchSuite = {
  name: 'render',
  async run() {
    const engines = createLiquidEngines();
    const rows: BenchRow[] = [];
    const compiled: CompiledEmailTemplate = await compileEmailTemplate(template, engines);
    const sample = renderEmail(compiled, contextFor(1), linksFor(1), engines);
    if (!sample.html.includes('Product 3') || !sample.text.includes('Product 3')) {
      throw new Error('the bench template does not render its cart items');
    }

    let index = 0;
    const cached = measure(
      () => {
        index += 1;
        return renderEmail(compiled, contextFor(index), linksFor(index), engines);
      },
      { warmup: 2000, minRuns: 20_000, minMs: 3000 },
    );
    const cachedPerSecond = 1000 / cached.medianMs;
    rows.push({
      suite: 'render',
      case: `cached template: Liquid + links (${Math.round(sample.html.length / 1024)} KB HTML)`,
      ...cached,
      throughput: { perSecond: cachedPerSecond, unit: 'emails' },
      note: `goal ≥ 20,000/s per core: ${cachedPerSecond >= 20_000 ? 'met' : 'NOT MET'}`,
    });

    // The reference: what every message would cost if MJML ran per message.
    const samples: number[] = [];
    for (let n = 0; n < 10; n += 1) await compileEmailTemplate(template, engines);
    const started = performance.now();
    while (samples.length < 100 || performance.now() - started < 3000) {
      const before = performance.now();
      const perMessage = await compileEmailTemplate(template, engines);
      renderEmail(perMessage, contextFor(samples.length), linksFor(samples.length), engines);
      samples.push(performance.now() - before);
    }
    samples.sort((a, b) => a - b);
    const mjmlMedian = samples[Math.floor(samples.length / 2)] ?? Number.NaN;
    const ratio = mjmlMedian / cached.medianMs;
    rows.push({
      suite: 'render',
      case: 'reference: MJML compiled per message + render',
      medianMs: mjmlMedian,
      p95Ms: samples[Math.ceil(samples.length * 0.95) - 1] ?? Number.NaN,
      runs: samples.length,
      throughput: { perSecond: 1000 / mjmlMedian, unit: 'emails' },
      note: `cached is ${ratio.toFixed(0)}× faster (goal ≥ 30×: ${ratio >= 30 ? 'met' : 'NOT MET'})`,
    });

    const sink = await startSmtpSink();
    try {
      const url = `smtp://127.0.0.1:${sink.port}`;
      const count = 2000;
      const adapter = createSmtpAdapter({ url, from: 'Shop <news@shop.test>', maxConnections: 5 });
      const rendered = Array.from({ length: 50 }, (_, n) =>
        renderEmail(compiled, contextFor(n), linksFor(n), engines),
      );
      const message = (n: number) => ({
        workspaceId: 'bench',
        messageId: `m${n}`,
        idempotencyKey: `bench:${n}`,
        channel: 'email' as const,
        to: `u${n}@example.com`,
        email: {
          ...(rendered[n % rendered.length] as (typeof rendered)[number]),
          unsubscribeUrl: linksFor(n).unsubscribeUrl,
        },
      });
      await sendAll(100, 20, (n) => adapter.send(message(n)));
      const pooledMs = await sendAll(count, 50, (n) => adapter.send(message(n)));
      await adapter.close?.();
      const pooledPerSecond = (count * 1000) / pooledMs;

      const single = nodemailer.createTransport(url);
      const singleCount = 300;
      const singleMs = await sendAll(singleCount, 50, (n) => {
        const m = message(n);
        return single.sendMail({
          from: 'Shop <news@shop.test>',
          to: m.to,
          subject: m.email.subject,
          html: m.email.html,
          text: m.email.text,
        });
      });
      single.close();
      const singlePerSecond = (singleCount * 1000) / singleMs;
      rows.push({
        suite: 'render',
        case: `SMTP, a connection per message (${singleCount} messages, 50 at once)`,
        medianMs: singleMs / singleCount,
        p95Ms: Number.NaN,
        runs: singleCount,
        throughput: { perSecond: singlePerSecond, unit: 'emails' },
        note: 'reference',
      });
      rows.push({
        suite: 'render',
        case: `SMTP adapter, pool of 5 connections (${count} messages, 50 at once)`,
        medianMs: pooledMs / count,
        p95Ms: Number.NaN,
        runs: count,
        throughput: { perSecond: pooledPerSecond, unit: 'emails' },
        note: `${(pooledPerSecond / singlePerSecond).toFixed(1)}× a connection per message; local smtp-server in a child process`,
      });
    } finally {
      sink.stop();
    }
    return rows;
  },
};

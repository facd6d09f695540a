import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createSmtpAdapter, type OutboundMessage } from '@touchline/channels';
import nodemailer from 'nodemailer';
import { benchOptions } from '../options.js';
import type { BenchRow, BenchSuite } from '../suite.js';

/**
 * SMTP deliveries per second to a local smtp-server process: the pooled adapter deliveries use
 * (`createSmtpAdapter`: nodemailer, `pool: true`) beside the naive reference, a new connection
 * (transport) per message, measured in the same run, in alternating rounds so that a change in
 * the machine's load falls on both.
 */

/** smtp-server in a child process (the client measured here keeps this core), counting what it takes. */
async function startSink(): Promise<{ port: number; received(): Promise<number>; stop(): void }> {
  const smtpServer = createRequire(import.meta.url).resolve('smtp-server');
  const script = `
    const { SMTPServer } = require(${JSON.stringify(smtpServer)});
    let received = 0;
    const server = new SMTPServer({ authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false,
      onData(stream, session, callback) {
        stream.on('data', () => {});
        stream.on('end', () => { received += 1; callback(); });
      } });
    process.on('message', () => process.send(received));
    server.listen(0, '127.0.0.1', () => process.send({ port: server.server.address().port }));`;
  const child: ChildProcess = spawn(process.execPath, ['-e', script], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message) => resolve((message as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`smtp sink exited with ${code}`)));
  });
  return {
    port,
    received: () =>
      new Promise<number>((resolve) => {
        child.once('message', (count) => resolve(count as number));
        child.send('count');
      }),
    stop: () => child.kill(),
  };
}

/** A short marketing email: 3 KB of HTML, 0.6 KB of plain text. */
function messageFor(n: number): OutboundMessage {
  const rows = Array.from(
    { length: 12 },
    (_, i) =>
      `<tr><td><img src="https://img.shop.test/${(n + i) % 500}.jpg" alt="Product ${i}"></td><td>Product ${(n + i) % 500} — ${10 + i} EUR</td></tr>`,
  ).join('\n');
  return {
    workspaceId: 'bench',
    messageId: `m${n}`,
    idempotencyKey: `bench:smtp:${n}`,
    channel: 'email',
    to: `u${n}@example.com`,
    email: {
      subject: `Your cart is waiting, customer ${n}`,
      preheader: '3 items saved for you',
      html: `<!doctype html><html><body><h1>Hi ${n}, you left these behind</h1><table>${rows}</table><p>${'Free returns within 30 days. '.repeat(60)}</p></body></html>`,
      text: `Hi ${n}, you left these behind.\n${'Free returns within 30 days. '.repeat(20)}`,
      unsubscribeUrl: `https://t.shop.test/u/${n}.sig`,
    },
  };
}

/** Sends `count` messages, `concurrency` at a time; answers the wall time in ms. */
async function sendAll(count: number, concurrency: number, send: (n: number) => Promise<unknown>) {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const n = next;
        next += 1;
        await send(n);
      }
    }),
  );
  return performance.now() - started;
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

export const suite: BenchSuite = {
  name: 'smtp',
  async run() {
    const { quick } = benchOptions();
    const rounds = quick ? 3 : 5;
    const pooledCount = quick ? 600 : 2000;
    const naiveCount = quick ? 150 : 400;
    const concurrency = 50;
    const connections = 5;
    const sink = await startSink();
    try {
      const url = `smtp://127.0.0.1:${sink.port}`;
      const from = 'Shop <news@shop.test>';
      const adapter = createSmtpAdapter({ url, from, maxConnections: connections });
      // The naive reference: what a sender without a pool does, a transport (a TCP connection,
      // greeting, EHLO and QUIT) per message.
      const naive = async (n: number) => {
        const m = messageFor(n);
        const transport = nodemailer.createTransport(url);
        try {
          await transport.sendMail({
            from,
            to: m.to ?? undefined,
            subject: m.email?.subject,
            html: m.email?.html,
            text: m.email?.text,
          });
        } finally {
          transport.close();
        }
      };
      await sendAll(100, concurrency, (n) => adapter.send(messageFor(n)));
      await sendAll(50, concurrency, naive);
      let sent = 150;

      const pooled: number[] = [];
      const perMessage: number[] = [];
      for (let round = 0; round < rounds; round += 1) {
        pooled.push(
          (pooledCount * 1000) /
            (await sendAll(pooledCount, concurrency, (n) => adapter.send(messageFor(n)))),
        );
        perMessage.push((naiveCount * 1000) / (await sendAll(naiveCount, concurrency, naive)));
        sent += pooledCount + naiveCount;
      }
      await adapter.close?.();
      const received = await sink.received();
      if (received !== sent) throw new Error(`the SMTP sink took ${received} messages of ${sent} sent`);

      const pooledRate = median(pooled);
      const naiveRate = median(perMessage);
      const ratios = pooled.map((rate, i) => rate / (perMessage[i] as number));
      const range = (values: number[]) =>
        `${Math.round(Math.min(...values)).toLocaleString('en-US')}–${Math.round(Math.max(...values)).toLocaleString('en-US')}`;
      const rows: BenchRow[] = [
        {
          suite: 'smtp',
          case: `reference: a new connection per message (${naiveCount} × ${rounds} rounds, ${concurrency} at once)`,
          medianMs: 1000 / naiveRate,
          p95Ms: Number.NaN,
          runs: naiveCount * rounds,
          throughput: { perSecond: naiveRate, unit: 'emails' },
          note: `rounds: ${range(perMessage)}/s`,
        },
        {
          suite: 'smtp',
          case: `pooled adapter, ${connections} connections (${pooledCount} × ${rounds} rounds, ${concurrency} at once)`,
          medianMs: 1000 / pooledRate,
          p95Ms: Number.NaN,
          runs: pooledCount * rounds,
          throughput: { perSecond: pooledRate, unit: 'emails' },
          note: `${(pooledRate / naiveRate).toFixed(1)}× the reference (per round ${Math.min(...ratios).toFixed(1)}–${Math.max(...ratios).toFixed(1)}×); rounds: ${range(pooled)}/s; all ${received} received`,
        },
      ];
      return rows;
    } finally {
      sink.stop();
    }
  },
};

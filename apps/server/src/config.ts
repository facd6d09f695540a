import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveDataDir } from '@touchline/db';
import { z } from 'zod';

const optional = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

/** Start-up configuration, read from the environment (DESIGN.md lists the variables). */
export const configSchema = z.object({
  PORT: z.coerce.number({ error: 'must be a port number (0–65535)' }).int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: optional,
  TOUCHLINE_DATA_DIR: optional,
  TOUCHLINE_ADMIN_TOKEN: optional.refine((v) => v === undefined || v.length >= 16, {
    message: 'must be at least 16 characters',
  }),
  TOUCHLINE_WRITE_KEY: optional.refine((v) => v === undefined || v.length >= 16, {
    message: 'must be at least 16 characters',
  }),
  TOUCHLINE_ADMIN_EMAIL: optional.pipe(z.email().optional()),
  TOUCHLINE_ADMIN_PASSWORD: optional.refine((v) => v === undefined || v.length >= 8, {
    message: 'must be at least 8 characters',
  }),
  /** Where recipients reach this server: the base of open, click and unsubscribe links. */
  TOUCHLINE_PUBLIC_URL: optional.pipe(
    z.url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. https://t.example.com' }).optional(),
  ),
  /** Signs tracking links; comma-separated to rotate (the first signs, every one verifies). */
  TOUCHLINE_SECRET: optional
    .transform((v) => v?.split(',').map((s) => s.trim()))
    .refine((v) => v === undefined || v.every((s) => s.length >= 16), {
      message: 'each comma-separated secret must be at least 16 characters',
    }),
  /** Email by SMTP (`smtp://user:pass@host:587`, `smtps://…` for TLS from the start); unset: the sandbox. */
  TOUCHLINE_SMTP_URL: optional.pipe(
    z
      .url({
        protocol: /^smtps?$/,
        error: 'must be an smtp:// or smtps:// URL, e.g. smtp://user:pass@host:587',
      })
      .optional(),
  ),
  /** The From of every email: `Shop <news@shop.example>`. */
  TOUCHLINE_EMAIL_FROM: optional,
  /** An address that unsubscribes by mail, added to the List-Unsubscribe header. */
  TOUCHLINE_UNSUBSCRIBE_MAILTO: optional.pipe(z.email().optional()),
  /** `true` lets webhooks call private, loopback and link-local addresses (refused by default). */
  TOUCHLINE_WEBHOOK_ALLOW_PRIVATE: z.enum(['true', 'false']).default('false'),
  /** `off` runs no worker in this process (scale workers out with `pnpm --filter @touchline/worker start`). */
  TOUCHLINE_WORKER: z.enum(['on', 'off']).default('on'),
  TOUCHLINE_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(64),
  TOUCHLINE_EDITOR_DIR: optional,
  /** Journey waits due later than this many seconds are held in a table until they come close. */
  TOUCHLINE_WAIT_HORIZON_SECONDS: z.coerce.number().int().min(0).default(900),
  /** Journey inbox transactions run at once by this process (each over its own people). */
  TOUCHLINE_RUNTIME_LANES: z.coerce.number().int().min(1).max(16).default(2),
  /** Waits and messages overdue this long with no live job are queued again (a killed worker). */
  TOUCHLINE_OVERDUE_SECONDS: z.coerce.number().min(0.5).default(60),
  /** Crash tests only: `<statement>:<count>` SIGKILLs the process after a runtime statement. */
  TOUCHLINE_FAULT_KILL_AFTER: optional.pipe(
    z
      .string()
      .regex(/^[a-z_]+:\d+$/, { error: 'must be <statement>:<count>' })
      .optional(),
  ),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  adminToken: string | undefined;
  writeKey: string | undefined;
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  /** The base of tracking links, without a trailing slash. */
  publicUrl: string;
  /** TOUCHLINE_SECRET's secrets; undefined: the one generated on first start and stored. */
  secrets: string[] | undefined;
  /** Email delivery: by SMTP when `smtpUrl` is set, else into the sandbox. */
  smtpUrl: string | undefined;
  emailFrom: string | undefined;
  unsubscribeMailto: string | undefined;
  /** Webhooks may call private addresses (`TOUCHLINE_WEBHOOK_ALLOW_PRIVATE=true`). */
  webhookAllowPrivate: boolean;
  worker: boolean;
  workerConcurrency: number;
  editorDir: string;
  logLevel: string;
  waitHorizonMs: number;
  runtimeLanes: number;
  overdueAfterMs: number;
  faultKillAfter: { statement: string; count: number } | undefined;
}

const defaultEditorDir = fileURLToPath(new URL('../../editor/dist', import.meta.url));

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  return {
    port: c.PORT,
    host: c.HOST,
    databaseUrl: c.DATABASE_URL,
    dataDir: resolveDataDir({ ...env, TOUCHLINE_DATA_DIR: c.TOUCHLINE_DATA_DIR }),
    adminToken: c.TOUCHLINE_ADMIN_TOKEN,
    writeKey: c.TOUCHLINE_WRITE_KEY,
    adminEmail: c.TOUCHLINE_ADMIN_EMAIL,
    adminPassword: c.TOUCHLINE_ADMIN_PASSWORD,
    publicUrl: (c.TOUCHLINE_PUBLIC_URL ?? `http://localhost:${c.PORT}`).replace(/\/+$/, ''),
    secrets: c.TOUCHLINE_SECRET,
    smtpUrl: c.TOUCHLINE_SMTP_URL,
    emailFrom: c.TOUCHLINE_EMAIL_FROM,
    unsubscribeMailto: c.TOUCHLINE_UNSUBSCRIBE_MAILTO,
    webhookAllowPrivate: c.TOUCHLINE_WEBHOOK_ALLOW_PRIVATE === 'true',
    worker: c.TOUCHLINE_WORKER === 'on',
    workerConcurrency: c.TOUCHLINE_WORKER_CONCURRENCY,
    editorDir: c.TOUCHLINE_EDITOR_DIR ? path.resolve(c.TOUCHLINE_EDITOR_DIR) : defaultEditorDir,
    logLevel: c.LOG_LEVEL,
    waitHorizonMs: c.TOUCHLINE_WAIT_HORIZON_SECONDS * 1000,
    runtimeLanes: c.TOUCHLINE_RUNTIME_LANES,
    overdueAfterMs: c.TOUCHLINE_OVERDUE_SECONDS * 1000,
    faultKillAfter: c.TOUCHLINE_FAULT_KILL_AFTER
      ? {
          statement: c.TOUCHLINE_FAULT_KILL_AFTER.split(':')[0] as string,
          count: Number(c.TOUCHLINE_FAULT_KILL_AFTER.split(':')[1]),
        }
      : undefined,
  };
}

import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { e2eCredentials } from './e2e/credentials';

const port = Number(process.env.E2E_PORT ?? 3210);
const dataDir = path.join(tmpdir(), `touchline-e2e-${port}`);

/**
 * End-to-end tests drive the built app in Debian's Chromium. The suite builds and starts the app
 * itself, on a fresh embedded PostgreSQL, exactly as `pnpm start` runs it.
 */
export default defineConfig({
  testDir: 'e2e',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  timeout: 30_000,
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium', viewport: { width: 1280, height: 800 } } }],
  webServer: {
    command: `rm -rf ${dataDir} && pnpm turbo run build --filter=@touchline/server... --output-logs=errors-only && node apps/server/dist/main.js`,
    url: `http://127.0.0.1:${port}/health`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: '',
      TOUCHLINE_DATA_DIR: dataDir,
      TOUCHLINE_ADMIN_EMAIL: e2eCredentials.adminEmail,
      TOUCHLINE_ADMIN_PASSWORD: e2eCredentials.adminPassword,
      TOUCHLINE_ADMIN_TOKEN: e2eCredentials.adminToken,
      TOUCHLINE_WRITE_KEY: e2eCredentials.writeKey,
      TURBO_TELEMETRY_DISABLED: '1',
      LOG_LEVEL: 'warn',
    },
  },
});

import { resolveDataDir } from '../data-dir.js';
import { openDatabase } from '../open.js';

// `pnpm migrate`: apply pending migrations to DATABASE_URL, or to the embedded PostgreSQL.
const database = await openDatabase({
  databaseUrl: process.env.DATABASE_URL,
  dataDir: resolveDataDir(),
  log: (line) => console.log(line),
});
console.log(`database ${redact(database.url)} is up to date`);
await database.close();

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

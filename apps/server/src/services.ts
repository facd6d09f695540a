import type { Db } from '@touchline/db';
import type { TouchlineWorker } from '@touchline/worker';
import type { KeyResolver } from './auth/key-resolver.js';
import type { Config } from './config.js';

/** What routes need from the running process; built once at start-up and passed to buildApp. */
export interface Services {
  config: Config;
  db: Db;
  keys: KeyResolver;
  /** The in-process worker, or undefined when workers run as separate processes. */
  worker: () => TouchlineWorker | undefined;
}

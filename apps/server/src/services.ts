import type { Db } from '@touchline/db';
import type { IngestPipeline } from '@touchline/ingest';
import type { NodeTypeRegistry } from '@touchline/journey';
import type { JourneyRuntime } from '@touchline/runtime';
import type { TouchlineWorker } from '@touchline/worker';
import type { KeyResolver } from './auth/key-resolver.js';
import type { Config } from './config.js';

/** What routes need from the running process; built once at start-up and passed to buildApp. */
export interface Services {
  config: Config;
  db: Db;
  keys: KeyResolver;
  /** Sign and verify tracking links (the first signs); their base is `config.publicUrl`. */
  trackingSecrets: readonly string[];
  /** The group-commit write path of /v1 and CSV imports. */
  ingest: IngestPipeline;
  /** Built-in and custom node types; shared by the compiler, runtime and API. */
  registry: NodeTypeRegistry;
  /** Runs live journeys: events through the inbox, timers through the worker. */
  runtime: JourneyRuntime;
  /** The in-process worker, or undefined when workers run as separate processes. */
  worker: () => TouchlineWorker | undefined;
}

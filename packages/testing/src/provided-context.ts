// What the global setup hands to every test file through vitest's provide/inject.
declare module 'vitest' {
  export interface ProvidedContext {
    /** A superuser URL on the test server, for creating per-file databases. */
    pgServerUrl: string;
    /** A migrated database that test databases are cloned from. */
    pgTemplateDatabase: string;
  }
}

export {};

import { vitestConfig } from './packages/testing/vitest.base.ts';

// One vitest process for the whole workspace: one PostgreSQL for all integration suites.
export default vitestConfig(['{apps,packages}/*/{src,test}/**/*.test.{ts,tsx}']);

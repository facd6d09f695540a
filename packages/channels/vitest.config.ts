import { vitestConfig } from '../../packages/testing/vitest.base.ts';

export default vitestConfig(['{src,test}/**/*.test.{ts,tsx}']);

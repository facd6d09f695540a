export { generateJourney } from './generate-journey.js';
export { measure, type Timing } from './measure.js';
export type { BenchRow, BenchSuite } from './suite.js';

export {
  type ActionOutcome,
  type ActionRequest,
  type Advance,
  type AdvanceContext,
  enter,
  eventResumes,
  JourneyRuntimeError,
  matchesWait,
  resume,
  type Step,
  type Stop,
  type Wait,
} from './advance.js';
export { nextTimeOfDay, stableBucket, zonedInstant, zoneOffsetMs } from './time.js';

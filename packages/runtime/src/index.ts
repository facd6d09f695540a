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
export { JourneyCatalog } from './catalog.js';
export { type DecideCounts, decideEvents, decideWakes, type WakeRequest } from './decide.js';
export { Effects } from './effects.js';
export { type EnrollmentState, stepKey, wakeJobKey } from './enrollment.js';
export { decideEntry, type EntryDecision } from './entry.js';
export {
  type EventFact,
  type JourneyFact,
  journeyFact,
  type ProfileFact,
  type ProfileSource,
  profileFact,
} from './facts.js';
export { type RoutedVersion, RoutingIndex } from './routing.js';
export { JourneyRuntime, type RuntimeLogger, type RuntimeOptions } from './runtime.js';
export { nextCronRun, planTick } from './schedule.js';
export type { DirectEntry } from './schedule-entry.js';
export { type ScheduleTick, scheduleJobKey } from './schedule-runner.js';
export { guardSend } from './send-guard.js';
export { simulate } from './simulate.js';
export {
  type SimulatedEventInput,
  type SimulatedEventOutcome,
  type SimulatedMessage,
  type SimulatedStep,
  type SimulationInput,
  SimulationInputError,
  type SimulationResult,
  type SimulationStatus,
} from './simulate-types.js';
export { interruptibleSleep } from './sleeper.js';
export { promoteTimers } from './store.js';
export { nextTimeOfDay, stableBucket, zonedInstant, zoneOffsetMs } from './time.js';

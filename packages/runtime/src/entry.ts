import type { CompiledJourney } from '@touchline/journey';
import { type EnrollmentState, isRunning } from './enrollment.js';

export type EntryDecision =
  | {
      readonly enter: true;
      /** The slot the new enrollment holds (the unique index refuses a second holder). */
      readonly slot: string | null;
      /** Enrollments whose slot is released first (a cooldown that has passed). */
      readonly release: readonly EnrollmentState[];
    }
  | { readonly enter: false; readonly reason: string };

/**
 * Whether a profile may enter a journey again, given its earlier enrollments in it. The answer
 * is only a forecast: the slot it names is what the database's unique index enforces, so two
 * processes deciding at once cannot both enroll.
 *
 * - `never`: slot `once`, never released.
 * - `after_exit`: slot `running`, released when the enrollment ends.
 * - `always`: no slot (the same trigger event still enrolls once: `entry_key`).
 * - with a cooldown: slot `cooldown`, released by the next entry once the holder has ended and
 *   the cooldown has passed since.
 */
export function decideEntry(
  compiled: CompiledJourney,
  earlier: readonly EnrollmentState[],
  entryKey: string,
  now: Date,
): EntryDecision {
  if (earlier.some((e) => e.entryKey === entryKey)) {
    return { enter: false, reason: 'this trigger already enrolled the profile' };
  }
  const { reentry } = compiled.settings;
  const cooldownMs = compiled.timing.cooldownMs;
  if (reentry === 'never') {
    return earlier.length > 0
      ? { enter: false, reason: 'the journey does not allow re-entry' }
      : { enter: true, slot: 'once', release: [] };
  }
  if (cooldownMs !== null && cooldownMs > 0) {
    const holder = earlier.find((e) => e.entrySlot === 'cooldown');
    if (!holder) return { enter: true, slot: 'cooldown', release: [] };
    if (isRunning(holder)) return { enter: false, reason: 'the profile is still in the journey' };
    const endedAt = holder.endedAt ?? holder.enteredAt;
    if (endedAt.getTime() + cooldownMs > now.getTime()) {
      return { enter: false, reason: 'the re-entry cooldown has not passed' };
    }
    return { enter: true, slot: 'cooldown', release: [holder] };
  }
  if (reentry === 'after_exit') {
    return earlier.some((e) => isRunning(e))
      ? { enter: false, reason: 'the profile is still in the journey' }
      : { enter: true, slot: 'running', release: [] };
  }
  return { enter: true, slot: null, release: [] };
}

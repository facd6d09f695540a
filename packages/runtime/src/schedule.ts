import { type CompiledTrigger, type CronSchedule, cronRunsOn, parseCron } from '@touchline/journey';
import { localParts, zonedInstant } from './time.js';

export type ScheduleTrigger = Extract<CompiledTrigger, { kind: 'schedule' }>;

/** Who is due at one tick: the profiles of one timezone (or all, `null`) under one entry key. */
export interface DueGroup {
  /** Profiles whose timezone is this (`profile` schedules), or every profile (`null`). */
  readonly timezone: string | null;
  /** The occurrence, as the entry key's suffix: one enrollment per profile per occurrence. */
  readonly occurrence: string;
}

export interface TickPlan {
  readonly due: readonly DueGroup[];
  /** When to look again; null when the schedule has nothing more to run (`at` has passed). */
  readonly next: Date | null;
}

/** Where a profile without a timezone keeps its schedule's wall-clock time. */
export const DEFAULT_TIMEZONE = 'UTC';
/** A `profile` schedule looks again at least this often, for timezones that appear later. */
const MAX_PROFILE_TICK_MS = 60 * 60_000;
/** A cron that matches nothing for this long (Feb 30) has no next run. */
const MAX_SEARCH_DAYS = 5 * 366;

const parsed = new Map<string, CronSchedule>();
function cronOf(expression: string): CronSchedule {
  let schedule = parsed.get(expression);
  if (!schedule) {
    const result = parseCron(expression);
    if ('problem' in result) throw new Error(`invalid cron "${expression}": ${result.problem}`);
    schedule = result.schedule;
    parsed.set(expression, schedule);
  }
  return schedule;
}

/** The first instant after `after` at which the clock in `timeZone` matches the cron. */
export function nextCronRun(expression: string, after: number, timeZone: string): number | null {
  const cron = cronOf(expression);
  const hours = [...cron.hours].sort((a, b) => a - b);
  const minutes = [...cron.minutes].sort((a, b) => a - b);
  const start = localParts(after, timeZone);
  // One day earlier than the local date: an instant a DST change moves can land the day before.
  for (let offset = -1; offset <= MAX_SEARCH_DAYS; offset++) {
    const date = new Date(Date.UTC(start.year, start.month - 1, start.day + offset));
    const [year, month, day] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
    if (!cronRunsOn(cron, year, month, day)) continue;
    for (const hour of hours) {
      for (const minute of minutes) {
        const instant = zonedInstant(year, month, day, hour, minute, timeZone);
        if (instant > after) return instant;
      }
    }
  }
  return null;
}

/** `2026-12-02T09:00` — an occurrence named by its wall-clock time, the same in every zone. */
function wallClock(instant: number, timeZone: string): string {
  const p = localParts(instant, timeZone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${two(p.month)}-${two(p.day)}T${two(p.hour)}:${two(p.minute)}`;
}

/**
 * What a schedule trigger runs in the window (from, now], and when to look next. A window that
 * spans several occurrences (the worker was down) runs once: nobody is enrolled twice
 * to catch up. `timezones` are those of the audience (`profile` schedules only).
 */
export function planTick(
  trigger: ScheduleTrigger,
  window: { from: number; now: number; anchor: number },
  timezones: readonly string[],
): TickPlan {
  const { from, now, anchor } = window;
  if (trigger.at !== null) {
    const at = Date.parse(trigger.at);
    if (at > now) return { due: [], next: new Date(at) };
    return { due: at > from ? [{ timezone: null, occurrence: new Date(at).toISOString() }] : [], next: null };
  }
  if (trigger.everyMs !== null) {
    const every = trigger.everyMs;
    const latest = anchor + Math.floor((now - anchor) / every) * every;
    const due =
      latest > from && latest > anchor
        ? [{ timezone: null, occurrence: new Date(latest).toISOString() }]
        : [];
    return { due, next: new Date(latest + every) };
  }
  const cron = trigger.cron as string;
  if (trigger.timezone !== 'profile') {
    const due: DueGroup[] = [];
    const run = nextCronRun(cron, from, trigger.timezone);
    if (run !== null && run <= now)
      due.push({ timezone: null, occurrence: wallClock(run, trigger.timezone) });
    const next = nextCronRun(cron, now, trigger.timezone);
    return { due, next: next === null ? null : new Date(next) };
  }
  const due: DueGroup[] = [];
  let next = now + MAX_PROFILE_TICK_MS;
  for (const timezone of timezones) {
    const run = nextCronRun(cron, from, timezone);
    if (run !== null && run <= now) due.push({ timezone, occurrence: wallClock(run, timezone) });
    const after = nextCronRun(cron, now, timezone);
    if (after !== null) next = Math.min(next, after);
  }
  return { due, next: new Date(next) };
}

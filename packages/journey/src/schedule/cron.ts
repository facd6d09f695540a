/**
 * Five-field cron expressions (minute hour day-of-month month day-of-week) with `*`, numbers,
 * ranges, lists and steps: one parser for the node's validation and the runtime's schedule.
 */
const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 7 },
] as const;

export interface CronSchedule {
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly daysOfMonth: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  /** 0 = Sunday (7 is read as 0). */
  readonly daysOfWeek: ReadonlySet<number>;
  /** Cron's rule: when both day fields are restricted, a day matching either one runs. */
  readonly dayOfMonthAny: boolean;
  readonly dayOfWeekAny: boolean;
}

type FieldSpec = (typeof FIELDS)[number];

function parsePart(part: string, field: FieldSpec, into: Set<number>): string | null {
  const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
  if (!match) return `${field.name} "${part}" is not a number, range, list or step`;
  const [, star, from, to, step] = match;
  for (const bound of [from, to]) {
    if (bound !== undefined && (Number(bound) < field.min || Number(bound) > field.max)) {
      return `${field.name} ${bound} is outside ${field.min}-${field.max}`;
    }
  }
  if (from !== undefined && to !== undefined && Number(from) > Number(to))
    return `${field.name} range ${part} is reversed`;
  if (step !== undefined && Number(step) === 0) return `${field.name} step must be at least 1`;
  const start = star === '*' ? field.min : Number(from);
  // `5/10` runs from 5 to the end of the range, as in Vixie cron.
  const end = star === '*' || (to === undefined && step !== undefined) ? field.max : Number(to ?? from);
  const by = step === undefined ? 1 : Number(step);
  for (let value = start; value <= end; value += by) into.add(value);
  return null;
}

/** Parses a cron expression, or says what is wrong with it. */
export function parseCron(expression: string): { schedule: CronSchedule } | { problem: string } {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) {
    return { problem: `cron needs 5 fields (minute hour day month weekday), got ${fields.length}` };
  }
  const sets = FIELDS.map(() => new Set<number>());
  for (const [index, text] of fields.entries()) {
    for (const part of text.split(',')) {
      const problem = parsePart(part, FIELDS[index] as FieldSpec, sets[index] as Set<number>);
      if (problem) return { problem };
    }
  }
  const [minutes, hours, daysOfMonth, months, weekDays] = sets as [
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
  ];
  const daysOfWeek = new Set([...weekDays].map((d) => d % 7));
  return {
    schedule: {
      minutes,
      hours,
      daysOfMonth,
      months,
      daysOfWeek,
      dayOfMonthAny: fields[2] === '*',
      dayOfWeekAny: fields[4] === '*',
    },
  };
}

/** Whether a calendar day runs: month, then the day fields with cron's either-or rule. */
export function cronRunsOn(schedule: CronSchedule, year: number, month: number, day: number): boolean {
  if (!schedule.months.has(month)) return false;
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  const byMonthDay = schedule.daysOfMonth.has(day);
  const byWeekDay = schedule.daysOfWeek.has(weekday);
  if (schedule.dayOfMonthAny && schedule.dayOfWeekAny) return true;
  if (schedule.dayOfMonthAny) return byWeekDay;
  if (schedule.dayOfWeekAny) return byMonthDay;
  return byMonthDay || byWeekDay;
}

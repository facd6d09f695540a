const FIELDS: readonly { name: string; min: number; max: number }[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 7 },
];

function checkPart(part: string, field: { name: string; min: number; max: number }): string | null {
  const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
  if (!match) return `${field.name} "${part}" is not a number, range, list or step`;
  const [, , from, to, step] = match;
  for (const bound of [from, to]) {
    if (bound !== undefined && (Number(bound) < field.min || Number(bound) > field.max)) {
      return `${field.name} ${bound} is outside ${field.min}-${field.max}`;
    }
  }
  if (from !== undefined && to !== undefined && Number(from) > Number(to))
    return `${field.name} range ${part} is reversed`;
  if (step !== undefined && Number(step) === 0) return `${field.name} step must be at least 1`;
  return null;
}

/**
 * Checks a five-field cron expression (minute hour day-of-month month day-of-week) with `*`,
 * numbers, ranges, lists and steps. Returns the problem, or null when it is valid.
 */
export function cronProblem(expression: string): string | null {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) return `cron needs 5 fields (minute hour day month weekday), got ${fields.length}`;
  for (const [index, text] of fields.entries()) {
    for (const part of text.split(',')) {
      const problem = checkPart(part, FIELDS[index]!);
      if (problem) return problem;
    }
  }
  return null;
}

/** "Daily at 09:00" for `M H * * *`, else null. */
export function dailyTime(expression: string): string | null {
  const match = /^(\d{1,2}) (\d{1,2}) \* \* \*$/.exec(expression.trim());
  if (!match) return null;
  return `${match[2]!.padStart(2, '0')}:${match[1]!.padStart(2, '0')}`;
}

import { parseCron } from '@touchline/journey';

/** What is wrong with a cron expression, or null when it is valid. */
export function cronProblem(expression: string): string | null {
  const parsed = parseCron(expression);
  return 'problem' in parsed ? parsed.problem : null;
}

/** "Daily at 09:00" for `M H * * *`, else null. */
export function dailyTime(expression: string): string | null {
  const match = /^(\d{1,2}) (\d{1,2}) \* \* \*$/.exec(expression.trim());
  if (!match) return null;
  return `${match[2]!.padStart(2, '0')}:${match[1]!.padStart(2, '0')}`;
}

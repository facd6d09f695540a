import type { JourneyListRow } from '@touchline/db';
import { z } from 'zod';
import { summaryBody } from './journey-schemas.js';

/** One row of the journeys list: the summary, its recent entries and who last edited it. */
export const journeyListItem = summaryBody.extend({
  entered7d: z.number().int().describe('enrollments started in the last seven days, any version'),
  updatedBy: z
    .string()
    .nullable()
    .describe('the email of the member who last saved or published it; null for an API token'),
});

export const duplicateBody = z
  .object({ name: z.string().trim().min(1, { error: 'must not be empty' }).max(200).optional() })
  .nullish();

export function toListItem(row: JourneyListRow): z.infer<typeof journeyListItem> {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    liveVersion: row.live_version,
    updatedAt: row.updated_at.toISOString(),
    entered7d: row.entered_7d,
    updatedBy: row.updated_by_email,
  };
}

/** `Win-back` → `Win-back (copy)`, within the name's 200 characters. */
export const copyName = (name: string) => `${name.slice(0, 193)} (copy)`;

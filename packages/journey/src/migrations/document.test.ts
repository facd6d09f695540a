import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { journeyGraphSchema } from '../graph/journey-graph.js';
import { documentMigrations, migrateJourneyDocument } from './document.js';

function fixture(name: string): unknown {
  return JSON.parse(
    readFileSync(new URL(`../../test/fixtures/migrations/${name}.json`, import.meta.url), 'utf8'),
  );
}

describe('migrateJourneyDocument', () => {
  it('has one fixture per migration', () => {
    expect(documentMigrations.map((migration) => migration.toVersion)).toEqual([1]);
  });

  it('to v1: stamps unversioned hand-written documents and fills settings and positions', () => {
    const result = migrateJourneyDocument(fixture('to-v1.before'));
    expect(result).toEqual({ ok: true, document: fixture('to-v1.after'), applied: [1] });
    expect(journeyGraphSchema.safeParse(result.ok && result.document).success).toBe(true);
  });

  it('leaves a current document alone', () => {
    const current = fixture('to-v1.after');
    expect(migrateJourneyDocument(current)).toEqual({ ok: true, document: current, applied: [] });
  });

  it('refuses documents from a newer Touchline and non-objects', () => {
    expect(migrateJourneyDocument({ schemaVersion: 99 })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/newer/),
    });
    expect(migrateJourneyDocument([])).toMatchObject({ ok: false });
  });
});

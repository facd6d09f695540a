import { describe, expect, it } from 'vitest';
import { parseTaskPayload } from './tasks.js';

describe('task payloads', () => {
  it('accept the _cron metadata graphile-worker adds to crontab jobs', () => {
    const payload = { _cron: { ts: '2026-12-01T08:18:00.000Z', backfilled: false } };
    expect(parseTaskPayload('journey_timers_promote', payload)).toEqual(payload);
    expect(parseTaskPayload('sessions_cleanup', {})).toEqual({});
  });

  it('refuse keys a task does not take, naming them', () => {
    expect(() => parseTaskPayload('sessions_cleanup', { extra: 1 })).toThrow(/extra/);
    expect(() => parseTaskPayload('message_deliver', { workspaceId: 'x' })).toThrow(/workspaceId/);
  });
});

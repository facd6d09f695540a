import { describe, expect, it } from 'vitest';
import { timeAgo } from '../journeys/time-ago';
import { warningIssue } from './IssueList';
import { fieldOf } from './templates-api';

describe('template issues as the editor shows them', () => {
  it('names the field of a save error and of a preview error alike', () => {
    expect(fieldOf({ path: 'body.mjml', message: 'line 3: …' })).toBe('mjml');
    expect(fieldOf({ path: 'body.template.mjml', message: 'line 3: …' })).toBe('mjml');
    expect(fieldOf({ path: 'body.parameters.0', message: '…' })).toBe('parameters');
    // A webhook's `body` field is not the request body.
    expect(fieldOf({ path: 'body.template.body', message: '…' })).toBe('body');
  });

  it('reads the line of a warning so that the editor can jump to it', () => {
    expect(warningIssue('body.mjml: line 4: <mj-text>: not allowed here')).toEqual({
      path: 'body.mjml',
      message: 'line 4: <mj-text>: not allowed here',
      line: 4,
    });
    expect(warningIssue('something odd')).toEqual({ path: '', message: 'something odd' });
  });
});

describe('when a journey was last edited', () => {
  const now = Date.parse('2026-12-01T12:00:00Z');
  it('says it as a person would', () => {
    expect(timeAgo('2026-12-01T11:59:50Z', now)).toBe('just now');
    expect(timeAgo('2026-12-01T11:55:00Z', now)).toBe('5 minutes ago');
    expect(timeAgo('2026-11-30T12:00:00Z', now)).toBe('yesterday');
    expect(timeAgo('2026-11-17T12:00:00Z', now)).toBe('2 weeks ago');
  });
});

import { describe, expect, it } from 'vitest';
import { type ColumnPlanOptions, canonicalName, planColumns } from './columns.js';

const profiles: ColumnPlanOptions = { kind: 'profiles', revenueProperty: 'revenue' };
const events: ColumnPlanOptions = { kind: 'events', revenueProperty: 'revenue' };

function plan(headers: string[], options: ColumnPlanOptions) {
  const result = planColumns(headers, options);
  if (!result.ok) throw new Error(result.message);
  return result.plan;
}

describe('canonicalName', () => {
  it('matches snake_case, camelCase and spaced spellings of one name', () => {
    for (const name of ['user_id', 'userId', 'UserID', 'User ID', ' USER-ID ']) {
      expect(canonicalName(name), name).toBe('user_id');
    }
    expect(canonicalName('firstName')).toBe('first_name');
  });
});

describe('planColumns', () => {
  it('finds the id columns of a profiles file whatever their spelling; the rest become traits', () => {
    const { columns } = plan(
      ['User ID', 'anonymousId', 'Email', 'First Name', 'plan', 'Favorite Colour'],
      profiles,
    );
    expect(columns.map((c) => [c.role, c.path.join('.')])).toEqual([
      ['userId', ''],
      ['anonymousId', ''],
      ['data', 'email'],
      ['data', 'first_name'],
      ['data', 'plan'],
      ['data', 'Favorite Colour'],
    ]);
  });

  it('builds nested traits from dotted headers; consent columns are booleans', () => {
    const { columns } = plan(['user_id', 'Subscriptions.SMS', 'address.city', 'address.zip'], profiles);
    expect(columns.slice(1).map((c) => [c.path, c.type])).toEqual([
      [['subscriptions', 'sms'], 'boolean'],
      [['address', 'city'], 'string'],
      [['address', 'zip'], 'string'],
    ]);
  });

  it('takes type hints from header suffixes and leaves other values as strings', () => {
    const { columns } = plan(
      ['user_id', 'age:number', 'vip : boolean', 'born:date', 'meta:json', 'ratio:pct'],
      profiles,
    );
    expect(columns.slice(1).map((c) => [c.header, c.type])).toEqual([
      ['age', 'number'],
      ['vip', 'boolean'],
      ['born', 'date'],
      ['meta', 'json'],
      ['ratio:pct', 'string'],
    ]);
  });

  it("reads the workspace's revenue property column on events as a number, under the settings' key", () => {
    const { columns } = plan(['userId', 'Event', 'Timestamp', 'Order Total', 'currency'], {
      ...events,
      revenueProperty: 'order_total',
    });
    expect(columns.map((c) => [c.role, c.path.join('.'), c.type])).toEqual([
      ['userId', '', 'string'],
      ['event', '', 'string'],
      ['timestamp', '', 'string'],
      ['data', 'order_total', 'number'],
      ['data', 'currency', 'string'],
    ]);
    const hinted = plan(['user_id', 'event', 'timestamp', 'revenue:string'], events);
    expect(hinted.columns[3]?.type).toBe('string');
  });

  it('skips columns with an empty header, as a trailing delimiter writes', () => {
    expect(plan(['user_id', 'email', ''], profiles).columns).toHaveLength(2);
  });

  it('refuses a header it cannot map, naming the columns at fault', () => {
    const refused = (headers: string[], options: ColumnPlanOptions) => {
      const result = planColumns(headers, options);
      return result.ok ? null : result.message;
    };
    expect(refused(['email'], profiles)).toBe('a user_id or anonymous_id column is required');
    expect(refused(['user_id', 'userId'], profiles)).toBe(
      'columns "user_id" and "userId" are the same column',
    );
    expect(refused(['user_id', 'Email', 'email'], profiles)).toBe(
      'columns "Email" and "email" set the same value',
    );
    expect(refused(['user_id', 'address', 'address.city'], profiles)).toBe(
      'columns "address" and "address.city" conflict: one sets a value the other nests into',
    );
    expect(refused(['user_id', 'a..b'], profiles)).toBe('column "a..b" has an empty part between dots');
    expect(refused(['user_id', '__proto__.x'], profiles)).toBe(
      'column "__proto__.x" may not name "__proto__"',
    );
    expect(refused(['user_id', 'event'], events)).toBe(
      'a timestamp column is required (when each event happened)',
    );
    expect(refused(['user_id', 'timestamp'], events)).toBe(
      'an event column is required, unless the upload names the event of every row',
    );
    expect(refused(['user_id', 'timestamp'], { ...events, defaultEvent: 'order_completed' })).toBeNull();
    expect(refused(['', ' '], profiles)).toBe('the first line must name the columns');
  });
});

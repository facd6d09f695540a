import { isValueType, type ValueType } from './values.js';

export type CsvImportKind = 'profiles' | 'events';

/** What a column feeds: one of the message's own fields, or a trait / property (`data`). */
export type ColumnRole = 'userId' | 'anonymousId' | 'messageId' | 'event' | 'timestamp' | 'data';

export interface CsvColumn {
  /** Position in each record. */
  index: number;
  /** The header as written (without its type hint): what errors name. */
  header: string;
  role: ColumnRole;
  /** For `data`: where the value goes inside traits (profiles) or properties (events). */
  path: readonly string[];
  type: ValueType;
}

/** How every record of one file becomes a message; derived once from the header line. */
export interface ColumnPlan {
  kind: CsvImportKind;
  columns: readonly CsvColumn[];
  /** The event of rows whose event cell is empty (or of every row, with no event column). */
  defaultEvent: string | null;
}

export type ColumnPlanResult = { ok: true; plan: ColumnPlan } | { ok: false; message: string };

export interface ColumnPlanOptions {
  kind: CsvImportKind;
  defaultEvent?: string | null;
  /** The workspace's revenue property: that events column is read as a number. */
  revenueProperty: string;
}

/**
 * `user_id`, `userId`, `User ID` and `USER-ID` all become `user_id`: the form column names are
 * compared in.
 */
export function canonicalName(name: string): string {
  return name
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[\s_-]+/g, '_')
    .toLowerCase();
}

const roleByName: Record<CsvImportKind, ReadonlyMap<string, ColumnRole>> = {
  profiles: new Map([
    ['user_id', 'userId'],
    ['anonymous_id', 'anonymousId'],
    ['message_id', 'messageId'],
    ['timestamp', 'timestamp'],
  ]),
  events: new Map([
    ['user_id', 'userId'],
    ['anonymous_id', 'anonymousId'],
    ['message_id', 'messageId'],
    ['timestamp', 'timestamp'],
    ['event', 'event'],
  ]),
};

/**
 * Profile traits the pipeline reads by name (email, phone, consent…) take one spelling whatever
 * the header's case; other traits keep the header's own.
 */
const knownTraits = new Map([
  ['email', 'email'],
  ['email_address', 'email'],
  ['phone', 'phone'],
  ['phone_number', 'phone'],
  ['timezone', 'timezone'],
  ['time_zone', 'timezone'],
  ['locale', 'locale'],
  ['first_name', 'first_name'],
  ['last_name', 'last_name'],
  ['name', 'name'],
  ['subscriptions', 'subscriptions'],
]);

const hintPattern = /^(.*?)\s*:\s*([A-Za-z]+)\s*$/;

/** `revenue:number` → `revenue` read as a number; an unknown suffix is part of the name. */
function splitHint(raw: string): { name: string; type: ValueType | null } {
  const match = hintPattern.exec(raw);
  const type = match?.[2]?.toLowerCase();
  if (match?.[1] && type && isValueType(type)) return { name: match[1].trim(), type };
  return { name: raw.trim(), type: null };
}

function dataPath(
  name: string,
  kind: CsvImportKind,
  revenueProperty: string,
): { path: string[]; type: ValueType } | { error: string } {
  if (kind === 'events' && canonicalName(name) === canonicalName(revenueProperty)) {
    // The pipeline sums properties[revenueProperty]: that key, flat, as a number.
    return { path: [revenueProperty], type: 'number' };
  }
  const path = name.split('.').map((part) => part.trim());
  if (path.some((part) => part === '')) return { error: 'has an empty part between dots' };
  if (path.includes('__proto__')) return { error: 'may not name "__proto__"' };
  let type: ValueType = 'string';
  if (kind === 'profiles') {
    const known = knownTraits.get(canonicalName(path[0] as string));
    if (known) path[0] = known;
    if (known === 'subscriptions' && path.length === 2) {
      // Consent is true or false; the string "false" would read as consent given.
      path[1] = canonicalName(path[1] as string);
      type = 'boolean';
    }
  }
  return { path, type };
}

/**
 * Reads the header line of a profiles or events CSV into a ColumnPlan. Pure; the message of a
 * refused header names the column at fault.
 */
export function planColumns(headers: readonly string[], options: ColumnPlanOptions): ColumnPlanResult {
  const { kind } = options;
  const columns: CsvColumn[] = [];
  const byRole = new Map<ColumnRole, CsvColumn>();
  const byPath = new Map<string, CsvColumn>();
  for (const [index, raw] of headers.entries()) {
    if (raw.trim() === '') continue; // a trailing delimiter, as spreadsheets write
    const { name, type: hint } = splitHint(raw);
    const role = roleByName[kind].get(canonicalName(name)) ?? 'data';
    if (role !== 'data') {
      const taken = byRole.get(role);
      if (taken) return { ok: false, message: `columns "${taken.header}" and "${name}" are the same column` };
      const column = { index, header: name, role, path: [], type: 'string' as const };
      byRole.set(role, column);
      columns.push(column);
      continue;
    }
    const target = dataPath(name, kind, options.revenueProperty);
    if ('error' in target) return { ok: false, message: `column "${name}" ${target.error}` };
    const key = target.path.join('\u0000');
    const taken = byPath.get(key);
    if (taken) return { ok: false, message: `columns "${taken.header}" and "${name}" set the same value` };
    const column = { index, header: name, role, path: target.path, type: hint ?? target.type };
    byPath.set(key, column);
    columns.push(column);
  }
  if (columns.length === 0) return { ok: false, message: 'the first line must name the columns' };

  // `address` and `address.city`: one would overwrite the object the other builds.
  for (const column of byPath.values()) {
    for (let end = column.path.length - 1; end > 0; end--) {
      const parent = byPath.get(column.path.slice(0, end).join('\u0000'));
      if (parent) {
        return {
          ok: false,
          message: `columns "${parent.header}" and "${column.header}" conflict: one sets a value the other nests into`,
        };
      }
    }
  }

  if (!byRole.has('userId') && !byRole.has('anonymousId')) {
    return { ok: false, message: 'a user_id or anonymous_id column is required' };
  }
  const defaultEvent = options.defaultEvent?.trim() || null;
  if (kind === 'events') {
    if (!byRole.has('timestamp')) {
      return { ok: false, message: 'a timestamp column is required (when each event happened)' };
    }
    if (!byRole.has('event') && !defaultEvent) {
      return {
        ok: false,
        message: 'an event column is required, unless the upload names the event of every row',
      };
    }
  }
  return { ok: true, plan: { kind, columns, defaultEvent } };
}

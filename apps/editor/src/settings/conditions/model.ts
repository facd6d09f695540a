import type { Condition, ConditionLeaf } from '@touchline/journey';
import type { ValueType } from './vocabulary';

/**
 * The condition builder's own model of a json-rules-engine tree: groups that match all (and) or
 * any (or) of their items, optionally negated (not), grouped at the top into the sections a
 * marketer thinks in. Trees that do not fit the sections (a group mixing profile traits with
 * event history) are kept as one plain tree, so nothing a hand-written journey holds is lost.
 */
export type Match = 'all' | 'any';

export interface BuilderGroup {
  readonly id: string;
  readonly match: Match;
  readonly negate: boolean;
  readonly items: readonly BuilderItem[];
}

export type BuilderItem =
  | {
      readonly kind: 'leaf';
      readonly id: string;
      readonly leaf: ConditionLeaf;
      /** The value type chosen for a free-form key; on screen only (the JSON has no such field). */
      readonly type?: ValueType;
    }
  | { readonly kind: 'group'; readonly id: string; readonly group: BuilderGroup };

/** `event`: the node's own event; `attributes`: who the person is; `behaviour`: what they did. */
export const sectionNames = ['event', 'attributes', 'behaviour'] as const;
export type SectionName = (typeof sectionNames)[number];

export type BuilderModel =
  | { readonly layout: 'sections'; readonly sections: Readonly<Record<SectionName, BuilderGroup>> }
  | { readonly layout: 'tree'; readonly tree: BuilderGroup };

let lastId = 0;
/** Ids only key rows on screen; they are never written to the config. */
export const newId = (): string => `c${++lastId}`;

export const emptyGroup = (match: Match = 'all'): BuilderGroup => ({
  id: newId(),
  match,
  negate: false,
  items: [],
});

/** The section a leaf belongs to, by the fact it reads. */
export function sectionOfLeaf(leaf: ConditionLeaf): SectionName {
  if (leaf.fact === 'event') return 'event';
  if (leaf.fact === 'eventCount' || leaf.fact === 'lastEvent') return 'behaviour';
  return 'attributes';
}

const isLeaf = (condition: Condition): condition is ConditionLeaf =>
  !('all' in condition) && !('any' in condition) && !('not' in condition);

function toItem(condition: Condition): BuilderItem {
  return isLeaf(condition)
    ? { kind: 'leaf', id: newId(), leaf: condition }
    : { kind: 'group', id: newId(), group: toGroup(condition) };
}

/** A condition as a group: `{ not: x }` is a negated group of x's items (or of x alone). */
export function toGroup(condition: Condition): BuilderGroup {
  if ('all' in condition)
    return { id: newId(), match: 'all', negate: false, items: condition.all.map(toItem) };
  if ('any' in condition)
    return { id: newId(), match: 'any', negate: false, items: condition.any.map(toItem) };
  if ('not' in condition) {
    const inner = condition.not;
    if ('all' in inner || 'any' in inner) return { ...toGroup(inner), negate: true };
    return { id: newId(), match: 'all', negate: true, items: [toItem(inner)] };
  }
  return { id: newId(), match: 'all', negate: false, items: [toItem(condition)] };
}

/** The one section every leaf of an item belongs to, `null` for an empty group, `mixed` otherwise. */
function sectionOfItem(item: BuilderItem): SectionName | 'mixed' | null {
  if (item.kind === 'leaf') return sectionOfLeaf(item.leaf);
  let found: SectionName | 'mixed' | null = null;
  for (const child of item.group.items) {
    const section = sectionOfItem(child);
    if (section === null) continue;
    if (found === null) found = section;
    else if (found !== section) return 'mixed';
  }
  return found;
}

function emptySections(): Record<SectionName, BuilderGroup> {
  return { event: emptyGroup(), attributes: emptyGroup(), behaviour: emptyGroup() };
}

/** A section holding just one group reads as that group ("any of these"), not as a group in a group. */
function hoist(section: BuilderGroup): BuilderGroup {
  let group = section;
  for (;;) {
    const only = group.items[0];
    if (group.items.length !== 1 || group.negate || group.match !== 'all' || only?.kind !== 'group')
      return group;
    group = only.group;
  }
}

/**
 * Reads a condition tree (or its absence) into the builder's model.
 *
 * @example
 * parseConditions({ all: [{ fact: 'profile', path: 'computed.orders_count', operator: 'greaterThanInclusive', value: 2 }] });
 * // { layout: 'sections', sections: { attributes: { match: 'all', items: [leaf] }, … } }
 */
export function parseConditions(condition: Condition | undefined): BuilderModel {
  const sections = emptySections();
  if (!condition) return { layout: 'sections', sections };
  const root = toGroup(condition);
  if (root.match === 'all' && !root.negate) {
    const bySection: Record<SectionName, BuilderItem[]> = { event: [], attributes: [], behaviour: [] };
    for (const item of root.items) {
      const section = sectionOfItem(item);
      if (section === 'mixed' || section === null) return { layout: 'tree', tree: root };
      bySection[section].push(item);
    }
    for (const name of sectionNames) {
      sections[name] = hoist({ ...sections[name], items: bySection[name] });
    }
    return { layout: 'sections', sections };
  }
  const section = sectionOfItem({ kind: 'group', id: root.id, group: root });
  if (section === 'mixed' || section === null) return { layout: 'tree', tree: root };
  sections[section] = root;
  return { layout: 'sections', sections };
}

/** Where each leaf landed in the emitted JSON ("all.1.any.0"), to show its errors beside it. */
export type LeafPaths = Map<string, string>;

const join = (base: string, key: string | number) => (base === '' ? String(key) : `${base}.${key}`);

function hasLeaves(group: BuilderGroup): boolean {
  return group.items.some((item) => item.kind === 'leaf' || hasLeaves(item.group));
}

function itemJson(item: BuilderItem, at: string, paths: LeafPaths): Condition {
  if (item.kind === 'leaf') {
    paths.set(item.id, at);
    return item.leaf;
  }
  return groupJson(item.group, at, paths);
}

// Empty groups (just added, nothing in them yet) are left out: json-rules-engine and the schema
// want at least one condition in every all / any.
function groupJson(group: BuilderGroup, at: string, paths: LeafPaths): Condition {
  const inner = group.negate ? join(at, 'not') : at;
  const kept = group.items.filter((item) => item.kind === 'leaf' || hasLeaves(item.group));
  const list = kept.map((item, index) => itemJson(item, join(join(inner, group.match), index), paths));
  const core = (group.match === 'all' ? { all: list } : { any: list }) as Condition;
  return group.negate ? { not: core } : core;
}

/**
 * The model as the json-rules-engine condition the compiler takes; `undefined` when it holds no
 * condition at all. Sections that match "all" are written into one top-level `all`.
 *
 * @example
 * serializeConditions(parseConditions(json)).condition; // json, or an equivalent tree
 */
export function serializeConditions(model: BuilderModel): {
  condition: Condition | undefined;
  paths: LeafPaths;
} {
  const paths: LeafPaths = new Map();
  if (model.layout === 'tree') {
    return { condition: hasLeaves(model.tree) ? groupJson(model.tree, '', paths) : undefined, paths };
  }
  const present = sectionNames.map((name) => model.sections[name]).filter(hasLeaves);
  if (present.length === 0) return { condition: undefined, paths };
  const [only] = present;
  if (present.length === 1 && only && (only.negate || only.match === 'any')) {
    return { condition: groupJson(only, '', paths), paths };
  }
  const parts: Condition[] = [];
  for (const section of present) {
    if (!section.negate && section.match === 'all') {
      for (const item of section.items) {
        if (item.kind === 'group' && !hasLeaves(item.group)) continue;
        parts.push(itemJson(item, `all.${parts.length}`, paths));
      }
    } else {
      parts.push(groupJson(section, `all.${parts.length}`, paths));
    }
  }
  return { condition: { all: parts }, paths };
}

/** Replaces the item with `id` anywhere in the group (or removes it, when `next` is null). */
export function updateItem(group: BuilderGroup, id: string, next: BuilderItem | null): BuilderGroup {
  const items: BuilderItem[] = [];
  for (const item of group.items) {
    if (item.id === id) {
      if (next) items.push(next);
    } else if (item.kind === 'group') {
      items.push({ ...item, group: updateItem(item.group, id, next) });
    } else {
      items.push(item);
    }
  }
  return { ...group, items };
}

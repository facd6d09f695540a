import type { NodeCategory } from '@touchline/journey';

/** Palette order, names, colours and glyphs by category (DESIGN.md's kinds). */
export const categories: ReadonlyArray<{ id: NodeCategory; name: string; icon: string }> = [
  { id: 'trigger', name: 'Triggers', icon: '⚡' },
  { id: 'condition', name: 'Conditions', icon: '◇' },
  { id: 'split', name: 'Splits', icon: '⑂' },
  { id: 'wait', name: 'Waits', icon: '⏱' },
  { id: 'action', name: 'Actions', icon: '✉' },
  { id: 'flow', name: 'Flow', icon: '⏹' },
];

export const iconOf = (category: string | undefined) =>
  categories.find((entry) => entry.id === category)?.icon ?? '•';

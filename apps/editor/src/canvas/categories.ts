import type { NodeCategory } from '@touchline/journey';

/** Palette order and names by category (DESIGN.md's kinds). */
export const categories: ReadonlyArray<{ id: NodeCategory; name: string }> = [
  { id: 'trigger', name: 'Triggers' },
  { id: 'condition', name: 'Conditions' },
  { id: 'split', name: 'Splits' },
  { id: 'wait', name: 'Waits' },
  { id: 'action', name: 'Actions' },
  { id: 'flow', name: 'Flow' },
];

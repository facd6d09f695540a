import type { JourneyGraphInput } from '@touchline/journey';

type NodeInput = JourneyGraphInput['nodes'][number];
type EdgeInput = JourneyGraphInput['edges'][number];

const conditions = {
  all: [
    { fact: 'profile', path: 'computed.orders_count', operator: 'greaterThanInclusive', value: 2 },
    {
      not: {
        fact: 'eventCount',
        params: { name: 'order_completed', within: 'P7D' },
        operator: 'greaterThan',
        value: 0,
      },
    },
  ],
};

/**
 * A valid journey of exactly `size` nodes (size ≥ 3): an event trigger, then a main line that
 * cycles through send, wait, condition, audience split and random split, every side port
 * leading to one shared exit. Realistic mix; deterministic for a given size.
 */
export function generateJourney(size: number): JourneyGraphInput {
  const nodes: NodeInput[] = [];
  const edges: EdgeInput[] = [];
  const at = (index: number) => ({ x: (index % 10) * 200, y: Math.floor(index / 10) * 150 });
  const add = (id: string, type: string, config: unknown) =>
    nodes.push({ id, type, typeVersion: 1, config, position: at(nodes.length) });
  const link = (source: string, sourcePort: string, target: string) =>
    edges.push({ id: `${source}-${sourcePort}`, source, sourcePort, target });

  add('trigger', 'trigger.event', {
    event: 'cart_updated',
    conditions: { all: [{ fact: 'event', path: 'properties.value', operator: 'greaterThan', value: 0 }] },
  });
  let previous = { id: 'trigger', port: 'out' };
  const pending: { source: string; port: string }[] = [];
  for (let index = 1; index < size - 1; index += 1) {
    const id = `n${index}`;
    const kind = index % 5;
    if (kind === 0) {
      add(id, 'send.email', { templateId: `tpl_${index}` });
      pending.push({ source: id, port: 'suppressed' });
      link(previous.id, previous.port, id);
      previous = { id, port: 'out' };
    } else if (kind === 1) {
      add(id, 'wait.duration', { duration: 'PT1H' });
      link(previous.id, previous.port, id);
      previous = { id, port: 'out' };
    } else if (kind === 2) {
      add(id, 'condition', { conditions });
      pending.push({ source: id, port: 'no' });
      link(previous.id, previous.port, id);
      previous = { id, port: 'yes' };
    } else if (kind === 3) {
      add(id, 'split.audience', {
        branches: [
          { port: 'vip', conditions },
          { port: 'loyal', conditions },
        ],
      });
      pending.push({ source: id, port: 'loyal' }, { source: id, port: 'else' });
      link(previous.id, previous.port, id);
      previous = { id, port: 'vip' };
    } else {
      add(id, 'split.random', {
        branches: [
          { port: 'a', weight: 45 },
          { port: 'b', weight: 45 },
          { port: 'holdout', weight: 10, holdout: true },
        ],
      });
      pending.push({ source: id, port: 'b' }, { source: id, port: 'holdout' });
      link(previous.id, previous.port, id);
      previous = { id, port: 'a' };
    }
  }
  add('exit', 'exit', {});
  link(previous.id, previous.port, 'exit');
  for (const { source, port } of pending) link(source, port, 'exit');
  return {
    schemaVersion: 1,
    nodes,
    edges,
    settings: {
      reentry: 'after_exit',
      exitOn: ['order_completed'],
      goal: { event: 'order_completed', within: 'P3D' },
    },
  };
}

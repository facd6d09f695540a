import { describe, expect, it } from 'vitest';
import { createCanvasStore, storedGraphOf } from './canvas-store';
import { fromStoredGraph } from './graph-model';
import { portsOf } from './ports';
import { shortcutOf } from './shortcuts';
import { diffVersions } from './version-diff';

const abandonedCart = {
  schemaVersion: 1,
  nodes: [
    { id: 'cart', type: 'trigger.event', config: { event: 'cart_updated' }, position: { x: 0, y: 0 } },
    {
      id: 'wait',
      type: 'wait.event',
      config: { event: 'order_completed', timeout: 'PT1H' },
      position: { x: 300, y: 0 },
      label: 'Wait for the order',
    },
    { id: 'done', type: 'exit', config: {}, position: { x: 600, y: 0 } },
  ],
  edges: [
    { id: 'e1', source: 'cart', sourcePort: 'out', target: 'wait' },
    { id: 'e2', source: 'wait', sourcePort: 'received', target: 'done' },
  ],
  settings: { reentry: 'after_exit' },
};

function storeWith(graph: unknown = abandonedCart) {
  let clock = 0;
  const store = createCanvasStore(fromStoredGraph(graph), { now: () => clock });
  return { store, tick: (ms: number) => (clock += ms) };
}

const ids = (store: ReturnType<typeof storeWith>['store']) => store.getState().nodes.map((node) => node.id);
const edgesOf = (store: ReturnType<typeof storeWith>['store']) =>
  storedGraphOf(store.getState()).edges.map((edge) => `${edge.source}.${edge.sourcePort}->${edge.target}`);

describe('the canvas store', () => {
  it('saves a draft exactly as it was opened (plus the layout direction)', () => {
    const { store } = storeWith();
    expect(storedGraphOf(store.getState())).toEqual({ ...abandonedCart, editor: { direction: 'TB' } });
  });

  it('gives a dropped node a readable new id, its defaults, and selects it alone', () => {
    const { store } = storeWith();
    store.getState().select(['cart']);
    const id = store.getState().addNode('send.email', { x: 10, y: 20 }, { templateId: '' });
    expect(id).toBe('send_email_1');
    expect(store.getState().addNode('send.email', { x: 0, y: 0 }, {})).toBe('send_email_2');
    const node = store.getState().nodes.find((candidate) => candidate.id === 'send_email_2');
    expect(node?.selected).toBe(true);
    expect(store.getState().nodes.filter((candidate) => candidate.selected)).toHaveLength(1);
    expect(storedGraphOf(store.getState()).nodes.find((n) => n.id === 'send_email_1')).toMatchObject({
      type: 'send.email',
      config: { templateId: '' },
      position: { x: 10, y: 20 },
    });
  });

  it('keeps one edge per port: connecting a port again replaces its edge', () => {
    const { store } = storeWith();
    const email = store.getState().addNode('send.email', { x: 0, y: 0 }, {});
    store.getState().connect('wait', 'received', email);
    store.getState().connect('wait', 'timeout', email);
    expect(edgesOf(store)).toEqual([
      'cart.out->wait',
      'wait.received->send_email_1',
      'wait.timeout->send_email_1',
    ]);
    store.getState().connect('wait', 'wait', 'wait');
    expect(edgesOf(store)).toHaveLength(3);
  });

  it('undoes and redoes edits, and a new edit clears what could be redone', () => {
    const { store } = storeWith();
    const revision = store.getState().revision;
    store.getState().addNode('exit', { x: 0, y: 0 }, {});
    store.getState().connect('wait', 'timeout', 'exit_1');
    store.getState().undo();
    expect(edgesOf(store)).not.toContain('wait.timeout->exit_1');
    expect(ids(store)).toContain('exit_1');
    store.getState().undo();
    expect(ids(store)).toEqual(['cart', 'wait', 'done']);
    store.getState().redo();
    store.getState().redo();
    expect(edgesOf(store)).toContain('wait.timeout->exit_1');
    store.getState().undo();
    store.getState().updateLabel('cart', 'Cart changed');
    store.getState().redo();
    expect(edgesOf(store)).not.toContain('wait.timeout->exit_1');
    expect(store.getState().revision).toBeGreaterThan(revision);
  });

  it('undoes a burst of typing in one field as one step, and a pause starts a new step', () => {
    const { store, tick } = storeWith();
    for (const timeout of ['P', 'PT', 'PT2', 'PT2H']) {
      store.getState().updateConfig('wait', { event: 'order_completed', timeout });
      tick(200);
    }
    tick(2000);
    store.getState().updateConfig('wait', { event: 'order_completed', timeout: 'PT3H' });
    store.getState().undo();
    expect(store.getState().nodes[1]?.data.config).toEqual({ event: 'order_completed', timeout: 'PT2H' });
    store.getState().undo();
    expect(store.getState().nodes[1]?.data.config).toEqual({ event: 'order_completed', timeout: 'PT1H' });
  });

  it('records a drag once, at its start, and does not record selecting', () => {
    const { store } = storeWith();
    store.getState().onNodesChange([{ type: 'select', id: 'cart', selected: true }]);
    expect(store.getState().past).toHaveLength(0);
    for (const x of [10, 20, 30]) {
      store
        .getState()
        .onNodesChange([{ type: 'position', id: 'cart', position: { x, y: 0 }, dragging: true }]);
    }
    store.getState().onNodesChange([{ type: 'position', id: 'cart', dragging: false }]);
    expect(store.getState().past).toHaveLength(1);
    expect(storedGraphOf(store.getState()).nodes[0]?.position).toEqual({ x: 30, y: 0 });
    store.getState().undo();
    expect(storedGraphOf(store.getState()).nodes[0]?.position).toEqual({ x: 0, y: 0 });
  });

  it('counts a drag as one change to save, at its end, and moving as nothing to validate', () => {
    const { store } = storeWith();
    const before = store.getState();
    for (const x of [10, 20, 30]) {
      store
        .getState()
        .onNodesChange([{ type: 'position', id: 'cart', position: { x, y: 0 }, dragging: true }]);
      expect(store.getState().revision).toBe(before.revision);
    }
    store.getState().onNodesChange([{ type: 'position', id: 'cart', dragging: false }]);
    expect(store.getState().revision).toBe(before.revision + 1);
    expect(store.getState().logicRevision).toBe(before.logicRevision);
    store.getState().updateLabel('cart', 'Cart, renamed');
    expect(store.getState().logicRevision).toBe(before.logicRevision + 1);
  });

  it('undoes a run of arrow-key moves as one step', () => {
    const { store, tick } = storeWith();
    for (const x of [5, 10, 15]) {
      store
        .getState()
        .onNodesChange([{ type: 'position', id: 'cart', position: { x, y: 0 }, dragging: false }]);
      tick(100);
    }
    expect(store.getState().past).toHaveLength(1);
    store.getState().undo();
    expect(storedGraphOf(store.getState()).nodes[0]?.position).toEqual({ x: 0, y: 0 });
  });

  it('deletes the selected nodes with the edges that touch them, and the selected edges', () => {
    const { store } = storeWith();
    store.getState().select(['wait']);
    store.getState().deleteSelection();
    expect(ids(store)).toEqual(['cart', 'done']);
    expect(edgesOf(store)).toEqual([]);
    store.getState().undo();
    store.getState().onEdgesChange([{ type: 'select', id: 'e1', selected: true }]);
    store.getState().select([]);
    store.getState().onEdgesChange([{ type: 'select', id: 'e1', selected: true }]);
    store.getState().deleteSelection();
    expect(edgesOf(store)).toEqual(['wait.received->done']);
    expect(ids(store)).toEqual(['cart', 'wait', 'done']);
  });

  it('pastes copies with new ids, offset, with the edges between them, and again further along', () => {
    const { store } = storeWith();
    store.getState().select(['wait', 'done']);
    store.getState().copySelection();
    store.getState().paste();
    expect(ids(store)).toEqual(['cart', 'wait', 'done', 'wait_event_1', 'exit_1']);
    expect(edgesOf(store)).toContain('wait_event_1.received->exit_1');
    const copy = storedGraphOf(store.getState()).nodes.find((node) => node.id === 'wait_event_1');
    expect(copy).toMatchObject({ position: { x: 340, y: 40 }, label: 'Wait for the order' });
    expect(
      store
        .getState()
        .nodes.filter((node) => node.selected)
        .map((node) => node.id),
    ).toEqual(['wait_event_1', 'exit_1']);
    store.getState().paste();
    expect(
      storedGraphOf(store.getState()).nodes.find((node) => node.id === 'wait_event_2')?.position,
    ).toEqual({
      x: 380,
      y: 80,
    });
    expect(edgesOf(store)).toContain('wait_event_2.received->exit_2');
  });

  it('lays the graph out top-down or left to right and remembers the direction', () => {
    const { store } = storeWith();
    store.getState().layout('TB');
    let nodes = storedGraphOf(store.getState()).nodes;
    expect(nodes[0]!.position.y).toBeLessThan(nodes[1]!.position.y);
    expect(nodes[1]!.position.y).toBeLessThan(nodes[2]!.position.y);
    store.getState().layout('LR');
    nodes = storedGraphOf(store.getState()).nodes;
    expect(nodes[0]!.position.x).toBeLessThan(nodes[1]!.position.x);
    expect(nodes[0]!.position.y).toBe(nodes[1]!.position.y);
    expect(storedGraphOf(store.getState()).editor).toEqual({ direction: 'LR' });
    store.getState().undo();
    expect(store.getState().direction).toBe('TB');
  });

  it('changes nothing when read-only', () => {
    const store = createCanvasStore(fromStoredGraph(abandonedCart), { readOnly: true });
    store.getState().addNode('exit', { x: 0, y: 0 }, {});
    store
      .getState()
      .onNodesChange([{ type: 'position', id: 'cart', position: { x: 5, y: 5 }, dragging: true }]);
    expect(store.getState().revision).toBe(0);
    expect(store.getState().nodes).toHaveLength(3);
  });
});

describe('keyboard shortcuts', () => {
  const press = (key: string, mods: Partial<Record<'ctrlKey' | 'metaKey' | 'shiftKey', boolean>> = {}) =>
    shortcutOf({ key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });

  it('maps Ctrl and Cmd combinations to canvas commands', () => {
    expect(press('z', { ctrlKey: true })).toBe('undo');
    expect(press('Z', { metaKey: true, shiftKey: true })).toBe('redo');
    expect(press('y', { ctrlKey: true })).toBe('redo');
    expect(press('c', { metaKey: true })).toBe('copy');
    expect(press('v', { ctrlKey: true })).toBe('paste');
    expect(press('Delete')).toBe('delete');
    expect(press('Backspace')).toBe('delete');
    expect(press('z')).toBeNull();
  });
});

describe('the publish diff', () => {
  it('lists nodes added, removed and changed in config, ignoring moves and key order', () => {
    const draft: { nodes: Array<Record<string, unknown>>; edges: unknown[]; settings: unknown } =
      structuredClone(abandonedCart);
    draft.nodes[0]!.position = { x: 99, y: 99 };
    draft.nodes[1]!.config = { timeout: 'PT2H', event: 'order_completed' };
    draft.nodes[2] = {
      id: 'email',
      type: 'send.email',
      config: { templateId: 't' },
      position: { x: 0, y: 0 },
    };
    const diff = diffVersions(abandonedCart, draft);
    expect(diff.added.map((node) => node.id)).toEqual(['email']);
    expect(diff.removed.map((node) => node.id)).toEqual(['done']);
    expect(diff.changed.map((node) => node.id)).toEqual(['wait']);
    expect(
      diffVersions(abandonedCart, { ...abandonedCart, nodes: [...abandonedCart.nodes].reverse() }).changed,
    ).toEqual([]);
    expect(diffVersions(null, abandonedCart).added).toHaveLength(3);
  });
});

describe('the ports a node draws', () => {
  const split = {
    type: 'split.audience',
    version: 1,
    category: 'split',
    label: 'Audience split',
    description: null,
    ports: { kind: 'config', note: 'one port per branch, then else' },
    configSchema: {},
    defaults: null,
  } as const;
  const edges = fromStoredGraph({
    nodes: [],
    edges: [{ id: 'e1', source: 'split', sourcePort: 'old_branch', target: 'done' }],
  }).edges;

  it('are the server’s ports, plus any an edge still leaves by, so that edge stays visible', () => {
    expect(portsOf('split', split, { summary: '', ports: ['vip', 'else'] }, edges)).toEqual([
      'vip',
      'else',
      'old_branch',
    ]);
  });

  it('fall back to the edges’ ports while a config-derived type’s config does not parse', () => {
    expect(portsOf('split', split, undefined, edges)).toEqual(['old_branch']);
    expect(portsOf('other', split, undefined, edges)).toEqual([]);
  });
});

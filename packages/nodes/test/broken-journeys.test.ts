import { compile, type JourneyError } from '@touchline/journey';
import { describe, expect, it } from 'vitest';
import { createBuiltinRegistry } from '../src/index.js';
import { knownReferences, loadFixture } from './fixtures.js';

const registry = createBuiltinRegistry();
type Fixture = ReturnType<typeof loadFixture>;

function errorsOf(graph: Fixture, references = knownReferences): JourneyError[] {
  const result = compile(graph, registry, references);
  if (result.ok) throw new Error('expected the journey not to compile');
  return [...result.errors];
}

function cart(change: (graph: Fixture) => void): Fixture {
  const graph = loadFixture('abandoned-cart');
  change(graph);
  return graph;
}

function nodeOf(graph: Fixture, id: string) {
  const node = graph.nodes.find((candidate) => candidate.id === id);
  if (!node) throw new Error(`no node ${id}`);
  return node;
}

describe('broken journeys are refused with errors naming the node and port', () => {
  it('a port with no edge is dangling', () => {
    const graph = cart((g) => {
      g.edges = g.edges.filter(
        (edge) => !(edge.source === 'wait_for_order' && edge.sourcePort === 'timeout'),
      );
    });
    expect(errorsOf(graph)).toContainEqual(
      expect.objectContaining({ nodeId: 'wait_for_order', port: 'timeout', code: 'dangling_port' }),
    );
  });

  it('a port leading to two nodes is connected twice', () => {
    const graph = cart((g) => {
      g.edges.push({ id: 'extra', source: 'email_cart', sourcePort: 'out', target: 'done' });
    });
    expect(errorsOf(graph)).toEqual([
      expect.objectContaining({ nodeId: 'email_cart', port: 'out', code: 'port_connected_twice' }),
    ]);
  });

  it('an edge from a port the node lacks names the port and lists the real ones', () => {
    const graph = cart((g) => {
      g.edges.push({ id: 'bad', source: 'still_no_order', sourcePort: 'maybe', target: 'done' });
    });
    const [error] = errorsOf(graph);
    expect(error).toMatchObject({ nodeId: 'still_no_order', port: 'maybe', code: 'unknown_port' });
    expect(error?.message).toContain('yes, no');
  });

  it('an edge to a missing node is reported on its source', () => {
    const graph = cart((g) => {
      const edge = g.edges.find(
        (candidate) => candidate.source === 'sms_discount' && candidate.sourcePort === 'out',
      )!;
      edge.target = 'nowhere';
    });
    expect(errorsOf(graph)).toEqual([
      expect.objectContaining({ nodeId: 'sms_discount', port: 'out', code: 'unknown_target' }),
      expect.objectContaining({ nodeId: 'sms_discount', port: 'out', code: 'dangling_port' }),
    ]);
  });

  it('a node no path reaches is unreachable', () => {
    const graph = cart((g) => {
      g.nodes.push({ id: 'orphan', type: 'exit', config: {}, position: { x: 0, y: 0 } });
    });
    expect(errorsOf(graph)).toEqual([
      expect.objectContaining({ nodeId: 'orphan', code: 'unreachable_node' }),
    ]);
  });

  it('a loop without a wait is refused, a loop through a wait is not', () => {
    const looping = cart((g) => {
      const edge = g.edges.find(
        (candidate) => candidate.source === 'sms_discount' && candidate.sourcePort === 'out',
      )!;
      edge.target = 'still_no_order';
    });
    expect(errorsOf(looping)).toEqual([
      expect.objectContaining({ nodeId: 'sms_discount', code: 'cycle_without_wait' }),
    ]);
    const waiting = cart((g) => {
      const edge = g.edges.find(
        (candidate) => candidate.source === 'sms_discount' && candidate.sourcePort === 'out',
      )!;
      edge.target = 'wait_a_day';
    });
    expect(compile(waiting, registry, knownReferences).ok).toBe(true);
  });

  it('a bad duration names the field', () => {
    const graph = cart((g) => {
      nodeOf(g, 'wait_for_order').config.timeout = 'PT1X';
    });
    const [error] = errorsOf(graph);
    expect(error).toMatchObject({ nodeId: 'wait_for_order', path: 'config.timeout', code: 'invalid_config' });
    expect(error?.message).toMatch(/^timeout: "PT1X" is not a valid ISO-8601 duration/);
  });

  it('a condition with a bad operator names the leaf', () => {
    const graph = cart((g) => {
      nodeOf(g, 'still_no_order').config.conditions = {
        all: [{ fact: 'profile', path: 'x', operator: 'eq', value: 1 }],
      };
    });
    expect(errorsOf(graph)).toEqual([
      expect.objectContaining({
        nodeId: 'still_no_order',
        path: 'config.conditions.all.0.operator',
        code: 'invalid_config',
      }),
    ]);
  });

  it('an unknown template is refused when the templates are known', () => {
    const graph = cart((g) => {
      nodeOf(g, 'email_cart').config.templateId = 'tpl_gone';
    });
    expect(errorsOf(graph)).toEqual([
      expect.objectContaining({ nodeId: 'email_cart', path: 'config.templateId', code: 'unknown_template' }),
    ]);
    expect(compile(graph, registry).ok).toBe(true);
  });

  it('an unknown segment inside a condition is refused when the segments are known', () => {
    const graph = loadFixture('vip-split');
    const references = { ...knownReferences, segments: new Set<string>() };
    expect(errorsOf(graph, references)).toEqual([
      expect.objectContaining({
        nodeId: 'audience',
        path: 'config.branches.0.conditions.any.1.params.segmentId',
        code: 'unknown_segment',
      }),
    ]);
  });

  it('an unknown node type is named', () => {
    const graph = cart((g) => {
      nodeOf(g, 'email_cart').type = 'send.fax';
    });
    expect(errorsOf(graph)).toContainEqual(
      expect.objectContaining({
        nodeId: 'email_cart',
        code: 'unknown_node_type',
        message: 'unknown node type "send.fax"',
      }),
    );
  });

  it('two triggers, or none, are refused', () => {
    const two = cart((g) => {
      g.nodes.push({ id: 'api_entry', type: 'trigger.api', config: {}, position: { x: 0, y: 0 } });
      g.edges.push({ id: 'api_out', source: 'api_entry', sourcePort: 'out', target: 'email_cart' });
    });
    expect(errorsOf(two)).toContainEqual(
      expect.objectContaining({ nodeId: 'api_entry', code: 'multiple_triggers' }),
    );
    const none = cart((g) => {
      g.nodes = g.nodes.filter((node) => node.id !== 'cart_updated');
      g.edges = g.edges.filter((edge) => edge.source !== 'cart_updated');
    });
    expect(errorsOf(none)).toEqual([expect.objectContaining({ nodeId: null, code: 'no_trigger' })]);
  });

  it('random split weights that do not add up to 100 are named', () => {
    const graph = loadFixture('win-back');
    nodeOf(graph, 'subject_test').config.branches = [
      { port: 'subject_a', weight: 45 },
      { port: 'subject_b', weight: 45 },
      { port: 'holdout', weight: 5 },
    ];
    expect(errorsOf(graph)).toEqual([
      expect.objectContaining({
        nodeId: 'subject_test',
        path: 'config.branches',
        message: 'branches: weights must add up to 100 (they add up to 95)',
      }),
    ]);
  });

  it('bad settings are reported with their path and no node', () => {
    const graph = cart((g) => {
      g.settings.goal = { event: 'order_completed', within: 'P1M' };
      g.settings.reentry = 'sometimes';
    });
    const errors = errorsOf(graph);
    expect(errors).toContainEqual(
      expect.objectContaining({ nodeId: null, path: 'settings.goal.within', code: 'invalid_settings' }),
    );
    expect(errors).toContainEqual(expect.objectContaining({ nodeId: null, path: 'settings.reentry' }));
  });

  it('reports every problem at once', () => {
    const graph = cart((g) => {
      nodeOf(g, 'wait_a_day').config.duration = '1 day';
      nodeOf(g, 'email_cart').config.templateId = 'tpl_gone';
      g.edges = g.edges.filter((edge) => edge.source !== 'still_no_order');
    });
    expect(errorsOf(graph).map((error) => [error.nodeId, error.code, error.port ?? null])).toEqual([
      ['wait_a_day', 'invalid_config', null],
      ['still_no_order', 'dangling_port', 'yes'],
      ['still_no_order', 'dangling_port', 'no'],
      ['sms_discount', 'unreachable_node', null],
      ['done', 'unreachable_node', null],
      ['email_cart', 'unknown_template', null],
    ]);
  });
});

describe('settings references', () => {
  it('an unknown segment in the goal conditions is reported on the setting', () => {
    const graph = cart((g) => {
      g.settings.goal = {
        event: 'order_completed',
        within: 'P3D',
        conditions: {
          all: [{ fact: 'inSegment', params: { segmentId: 'seg_gone' }, operator: 'equal', value: true }],
        },
      };
    });
    expect(errorsOf(graph)).toEqual([
      expect.objectContaining({
        nodeId: null,
        path: 'settings.goal.conditions.all.0.params.segmentId',
        code: 'unknown_segment',
      }),
    ]);
  });
});

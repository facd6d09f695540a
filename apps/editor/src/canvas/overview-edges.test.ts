import { getSmoothStepPath, type InternalNode, Position } from '@xyflow/react';
import { describe, expect, it } from 'vitest';
import type { CanvasEdge } from './graph-model';
import { handlePoint, overviewPaths, samePaths } from './overview-edges';

type Placed = Pick<InternalNode, 'internals'>;

/** A measured step at (x, y): an input handle on its left, out-ports down its right side. */
function step(id: string, x: number, y: number, outs: string[] = []): Placed {
  return {
    internals: {
      positionAbsolute: { x, y },
      z: 0,
      userNode: { id, position: { x, y }, data: {} },
      handleBounds: {
        target: [
          {
            id: 'in',
            nodeId: id,
            type: 'target',
            position: Position.Left,
            x: -5,
            y: 20,
            width: 10,
            height: 10,
          },
        ],
        source: outs.map((port, index) => ({
          id: port,
          nodeId: id,
          type: 'source' as const,
          position: Position.Right,
          x: 215,
          y: 40 + index * 20,
          width: 10,
          height: 10,
        })),
      },
    },
  };
}

const edge = (source: string, port: string, target: string, extra: Partial<CanvasEdge> = {}): CanvasEdge => ({
  id: `e_${source}_${port}`,
  source,
  sourceHandle: port,
  target,
  targetHandle: 'in',
  ...extra,
});

describe('the zoomed-out edge layer', () => {
  it('meets each handle at the middle of its outer side, as React Flow does', () => {
    const node = step('a', 100, 50);
    const box = { id: 'h', nodeId: 'a', type: 'source' as const, x: 10, y: 20, width: 10, height: 6 };
    expect(handlePoint(node, { ...box, position: Position.Left })).toEqual({ x: 110, y: 73 });
    expect(handlePoint(node, { ...box, position: Position.Right })).toEqual({ x: 120, y: 73 });
    expect(handlePoint(node, { ...box, position: Position.Top })).toEqual({ x: 115, y: 70 });
    expect(handlePoint(node, { ...box, position: Position.Bottom })).toEqual({ x: 115, y: 76 });
  });

  it('draws an edge from its port to the next step as the smooth-step edge it replaces', () => {
    const lookup = new Map([
      ['a', step('a', 0, 0, ['yes', 'no'])],
      ['b', step('b', 400, 100)],
    ]);
    const [path] = overviewPaths([edge('a', 'no', 'b')], lookup, new Map());
    const [expected] = getSmoothStepPath({
      sourceX: 225,
      sourceY: 65,
      sourcePosition: Position.Right,
      targetX: 395,
      targetY: 125,
      targetPosition: Position.Left,
    });
    expect(path?.d).toBe(expected);
    expect(path?.className).toBe('tl-overview-edge');
  });

  it('keeps the paths of steps that did not move and draws the moved step’s again', () => {
    const a = step('a', 0, 0, ['out']);
    const b = step('b', 400, 0, ['out']);
    const c = step('c', 800, 0);
    const edges = [edge('a', 'out', 'b'), edge('b', 'out', 'c')];
    const first = overviewPaths(
      edges,
      new Map([
        ['a', a],
        ['b', b],
        ['c', c],
      ]),
      new Map(),
    );
    const drawn = new Map(first.map((path) => [path.id, path]));

    const still = overviewPaths(
      edges,
      new Map([
        ['a', a],
        ['b', b],
        ['c', c],
      ]),
      drawn,
    );
    expect(samePaths(still, first)).toBe(true);

    const moved = overviewPaths(
      edges,
      new Map([
        ['a', a],
        ['b', b],
        ['c', step('c', 800, 300)],
      ]),
      drawn,
    );
    expect(moved[0]).toBe(first[0]);
    expect(moved[1]).not.toBe(first[1]);
    expect(moved[1]?.d).not.toBe(first[1]?.d);
    expect(samePaths(moved, first)).toBe(false);
  });

  it('leaves out an edge until both its steps and handles are measured', () => {
    const unmeasured: Placed = { internals: { ...step('b', 0, 0).internals, handleBounds: undefined } };
    const lookup = new Map([
      ['a', step('a', 0, 0, ['out'])],
      ['b', unmeasured],
    ]);
    expect(overviewPaths([edge('a', 'out', 'b'), edge('a', 'out', 'missing')], lookup, new Map())).toEqual(
      [],
    );
  });

  it('marks selected edges and the simulated path', () => {
    const lookup = new Map([
      ['a', step('a', 0, 0, ['out'])],
      ['b', step('b', 400, 0)],
    ]);
    const [selected] = overviewPaths([edge('a', 'out', 'b', { selected: true })], lookup, new Map());
    const [onPath] = overviewPaths(
      [edge('a', 'out', 'b', { className: 'tl-edge-onpath' })],
      lookup,
      new Map(),
    );
    expect(selected?.className).toBe('tl-overview-edge selected');
    expect(onPath?.className).toBe('tl-overview-edge tl-edge-onpath');
  });
});

import type { JourneyError } from '../errors.js';
import type { Wiring } from './check-edges.js';
import type { ResolvedNode } from './instantiate-nodes.js';

/**
 * Strongly connected components of the graph without its wait nodes (Tarjan, iterative so a
 * long chain cannot overflow the stack). Any cycle left there loops without waiting, which
 * would spin an enrollment forever inside one transaction.
 */
function loopingComponents(nodes: ReadonlyMap<string, ResolvedNode>, wiring: Wiring): string[][] {
  const passes = (id: string) => nodes.get(id)?.nodeType?.category !== 'wait';
  const successors = (id: string) => [...(wiring.get(id)?.values() ?? [])].filter(passes);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;

  for (const root of nodes.keys()) {
    if (!passes(root) || index.has(root)) continue;
    const work: { id: string; next: string[] }[] = [];
    const enter = (id: string) => {
      index.set(id, counter);
      low.set(id, counter);
      counter += 1;
      stack.push(id);
      onStack.add(id);
      work.push({ id, next: successors(id) });
    };
    enter(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const target = frame.next.shift();
      if (target !== undefined) {
        if (!index.has(target)) enter(target);
        else if (onStack.has(target)) low.set(frame.id, Math.min(low.get(frame.id)!, index.get(target)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id)!, low.get(frame.id)!));
      if (low.get(frame.id) === index.get(frame.id)) {
        const component: string[] = [];
        let member: string | undefined;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.id);
        const selfLoop = component.length === 1 && successors(frame.id).includes(frame.id);
        if (component.length > 1 || selfLoop) components.push(component.sort());
      }
    }
  }
  return components;
}

/** Reports each loop that has no wait node on it, on the loop's first node by id. */
export function checkCycles(
  nodes: ReadonlyMap<string, ResolvedNode>,
  wiring: Wiring,
  errors: JourneyError[],
): void {
  for (const component of loopingComponents(nodes, wiring)) {
    errors.push({
      nodeId: component[0]!,
      code: 'cycle_without_wait',
      message: `nodes ${component.map((id) => `"${id}"`).join(', ')} form a loop with no wait node on it; add a wait so the loop cannot spin`,
    });
  }
}

import { Engine } from 'json-rules-engine';
import type { CompiledRule } from '../compile/compiled-journey.js';
import { registerConditionOperators } from '../conditions/operators.js';
import { resolvePath } from '../conditions/path.js';
import type { JourneyFacts } from './facts.js';

interface PooledEngine {
  readonly engine: Engine;
  /** The instant `withinLast` compares against, set before each run. */
  now: number;
}

const MAX_IDLE_ENGINES = 32;

/**
 * Evaluates one ordered list of rules, first match wins.
 *
 * A json-rules-engine `Engine` keeps its run `status` on the instance: when one `run()` ends it
 * marks the engine finished, and a concurrent `run()` still between priority levels skips its
 * remaining rules. So an engine here is never shared by two runs at once: engines are built
 * lazily, kept in a small pool and lent to one run at a time — built once per concurrent slot,
 * never per event.
 */
export class RuleEvaluator {
  private readonly idle: PooledEngine[] = [];
  private readonly byName: ReadonlyMap<string, CompiledRule>;

  constructor(private readonly rules: readonly CompiledRule[]) {
    this.byName = new Map(rules.map((rule) => [rule.name, rule]));
  }

  /** The highest-priority rule that holds, or `null`. */
  async evaluate(facts: JourneyFacts, now: number): Promise<CompiledRule | null> {
    if (this.rules.length === 0) return null;
    const pooled = this.idle.pop() ?? this.build();
    pooled.now = now;
    // After a failed run json-rules-engine may still be evaluating lower priorities in the
    // background, so a failed engine is dropped rather than lent again.
    const { results } = await pooled.engine.run(runtimeFacts(facts));
    if (this.idle.length < MAX_IDLE_ENGINES) this.idle.push(pooled);
    let best: CompiledRule | null = null;
    for (const result of results) {
      const rule = this.byName.get(result.name);
      if (rule && (!best || rule.priority > best.priority)) best = rule;
    }
    return best;
  }

  private build(): PooledEngine {
    const engine = new Engine([], { allowUndefinedFacts: false, pathResolver: resolvePath });
    const pooled: PooledEngine = { engine, now: 0 };
    registerConditionOperators(engine, () => pooled.now);
    for (const rule of this.rules) {
      engine.addRule({
        name: rule.name,
        priority: rule.priority,
        conditions: rule.conditions,
        event: rule.event,
      });
    }
    // First match wins: once a rule holds, lower priorities need not run (and dynamic facts
    // behind them need not be fetched).
    engine.on('success', () => {
      engine.stop();
    });
    return pooled;
  }
}

// Facts left undefined are not added, so a rule reading one fails with UndefinedFactError
// instead of comparing against undefined.
function runtimeFacts(facts: JourneyFacts): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(facts)) {
    if (value !== undefined) out[name] = value;
  }
  return out;
}

import type { CompiledJourney } from '@touchline/journey';

/** A published version the runtime may have to run: any version of a live or paused journey. */
export interface RoutedVersion {
  readonly workspaceId: string;
  readonly journeyId: string;
  readonly journeyName: string;
  readonly version: number;
  readonly journeyStatus: 'live' | 'paused';
  /** The journey's live version: the one new enrollments take. */
  readonly isCurrent: boolean;
  readonly compiled: CompiledJourney;
}

interface WorkspaceRoutes {
  /** Event name → current versions of live journeys it may enroll into. */
  readonly triggers: Map<string, RoutedVersion[]>;
  /**
   * Event name → journeys whose running enrollments it may move (a `wait.event` in some version,
   * an exit event or a goal). Only live journeys: a paused journey holds its enrollments still.
   */
  readonly running: Map<string, Set<string>>;
  readonly versions: Map<string, RoutedVersion>;
  readonly current: Map<string, RoutedVersion>;
}

const versionKey = (journeyId: string, version: number) => `${journeyId}@${version}`;

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function add<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (set) set.add(value);
  else map.set(key, new Set([value]));
}

/**
 * Which journeys an event can affect, by event name, per workspace. Built from the published
 * versions once per change (not per event): an event that no live journey mentions costs one
 * map lookup, and the runtime evaluates only the journeys it can move.
 */
export class RoutingIndex {
  readonly #workspaces = new Map<string, WorkspaceRoutes>();
  readonly size: number;
  /** Current versions of live journeys entered on a schedule, for their schedule jobs. */
  readonly scheduled: readonly RoutedVersion[];

  constructor(versions: readonly RoutedVersion[]) {
    this.size = versions.length;
    this.scheduled = versions.filter(
      (v) => v.isCurrent && v.journeyStatus === 'live' && v.compiled.trigger.kind === 'schedule',
    );
    // Higher priority first: journeys triggered by one event send in that order, so the priority
    // guard sees the higher one's send when it decides the lower one's.
    const byPriority = [...versions].sort(
      (a, b) => (b.compiled.settings.priority ?? 0) - (a.compiled.settings.priority ?? 0),
    );
    for (const routed of byPriority) {
      let routes = this.#workspaces.get(routed.workspaceId);
      if (!routes) {
        routes = { triggers: new Map(), running: new Map(), versions: new Map(), current: new Map() };
        this.#workspaces.set(routed.workspaceId, routes);
      }
      routes.versions.set(versionKey(routed.journeyId, routed.version), routed);
      if (routed.isCurrent) routes.current.set(routed.journeyId, routed);
      if (routed.journeyStatus !== 'live') continue;
      const { compiled } = routed;
      if (routed.isCurrent) {
        for (const event of Object.keys(compiled.triggers)) push(routes.triggers, event, routed);
      }
      for (const event of Object.keys(compiled.waitingOn)) add(routes.running, event, routed.journeyId);
      for (const event of compiled.exit.events) add(routes.running, event, routed.journeyId);
      if (compiled.goal) add(routes.running, compiled.goal.event, routed.journeyId);
    }
  }

  /** Current versions of live journeys this event may enroll into. */
  triggersFor(workspaceId: string, event: string): readonly RoutedVersion[] {
    return this.#workspaces.get(workspaceId)?.triggers.get(event) ?? [];
  }

  /** Journeys whose running enrollments this event may move (resume, exit, convert). */
  runningFor(workspaceId: string, event: string): ReadonlySet<string> | undefined {
    return this.#workspaces.get(workspaceId)?.running.get(event);
  }

  /** Whether an event with this name concerns any journey: the ingest path's one question. */
  isRelevant(workspaceId: string, event: string | null): boolean {
    if (event === null) return false;
    const routes = this.#workspaces.get(workspaceId);
    return routes !== undefined && (routes.triggers.has(event) || routes.running.has(event));
  }

  /** The live version of a live or paused journey. */
  current(workspaceId: string, journeyId: string): RoutedVersion | undefined {
    return this.#workspaces.get(workspaceId)?.current.get(journeyId);
  }

  version(workspaceId: string, journeyId: string, version: number): RoutedVersion | undefined {
    return this.#workspaces.get(workspaceId)?.versions.get(versionKey(journeyId, version));
  }
}

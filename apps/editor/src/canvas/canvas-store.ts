import { applyEdgeChanges, applyNodeChanges, type EdgeChange, type NodeChange } from '@xyflow/react';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { CanvasGraph, Clipboard } from './graph-edits';
import * as edits from './graph-edits';
import {
  type CanvasDocument,
  type CanvasNode,
  type JourneySettingsDraft,
  type LayoutDirection,
  toStoredGraph,
} from './graph-model';
import { layoutPositions } from './layout';
import type { PathHighlight } from './simulation';

/** One validation error as the API names it. */
export interface JourneyProblem {
  nodeId: string | null;
  port?: string;
  path?: string;
  code: string;
  message: string;
}

/** What the server computed for a node: its one-line summary and its out-ports. */
export interface NodeView {
  summary: string;
  ports: string[];
}

export interface Validation {
  /** The `logicRevision` this validation answers; `null` until the first answer. */
  revision: number | null;
  problems: JourneyProblem[];
  views: Record<string, NodeView>;
}

interface Snapshot extends CanvasGraph {
  direction: LayoutDirection;
}

export interface CanvasState extends Snapshot {
  readonly readOnly: boolean;
  /**
   * Bumped by every change to the document (not by selection or measuring, and once per drag, at
   * its end): drives autosave.
   */
  revision: number;
  /** Bumped by every change that can change validation: all but moving steps. Drives validate. */
  logicRevision: number;
  past: Snapshot[];
  future: Snapshot[];
  clipboard: Clipboard | null;
  validation: Validation;
  /** Bumped by undo and redo: forms keyed on it show the restored values. */
  restored: number;
  /** The last recorded edit, so that a burst of typing into one field is one undo step. */
  lastEdit: { key: string; at: number } | null;
  extra: Record<string, unknown>;
  /** A simulated run's path, highlighted on the canvas; not part of the document. */
  highlight: PathHighlight | null;

  onNodesChange(changes: NodeChange<CanvasNode>[]): void;
  onEdgesChange(changes: EdgeChange[]): void;
  addNode(nodeType: string, position: { x: number; y: number }, config: unknown): string;
  connect(source: string, port: string, target: string): void;
  disconnect(source: string, port: string): void;
  updateConfig(id: string, config: unknown): void;
  updateLabel(id: string, label: string): void;
  updateSettings(settings: JourneySettingsDraft): void;
  deleteSelection(): void;
  copySelection(): void;
  paste(): void;
  select(ids: readonly string[]): void;
  layout(direction: LayoutDirection): void;
  undo(): void;
  redo(): void;
  setValidation(validation: Validation): void;
  setHighlight(highlight: PathHighlight | null): void;
}

export type CanvasStore = StoreApi<CanvasState>;

const HISTORY_LIMIT = 100;
// Edits with the same key this close together (typing in one field) are undone together.
const COALESCE_MS = 1000;

export interface CanvasStoreOptions {
  readOnly?: boolean;
  validation?: Validation;
  now?: () => number;
}

const snapshotOf = (state: Snapshot): Snapshot => ({
  nodes: state.nodes,
  edges: state.edges,
  settings: state.settings,
  direction: state.direction,
});

const sameView = (a: NodeView, b: NodeView) =>
  a.summary === b.summary &&
  a.ports.length === b.ports.length &&
  a.ports.every((port, i) => port === b.ports[i]);

const sameProblem = (a: JourneyProblem, b: JourneyProblem) =>
  a.nodeId === b.nodeId &&
  a.port === b.port &&
  a.path === b.path &&
  a.code === b.code &&
  a.message === b.message;

/**
 * A new validation answer that keeps the previous answer's objects where nothing changed: each
 * node reads its own view and problems, so after an edit only the nodes the answer changed for
 * render again, not all of them.
 */
function sharedValidation(previous: Validation, next: Validation): Validation {
  const problems =
    previous.problems.length === next.problems.length &&
    next.problems.every((problem, i) => sameProblem(problem, previous.problems[i] as JourneyProblem))
      ? previous.problems
      : next.problems;
  let changed = Object.keys(previous.views).length !== Object.keys(next.views).length;
  const views: Record<string, NodeView> = {};
  for (const [id, view] of Object.entries(next.views)) {
    const before = previous.views[id];
    if (before && sameView(before, view)) views[id] = before;
    else {
      views[id] = view;
      changed = true;
    }
  }
  return { revision: next.revision, problems, views: changed ? views : previous.views };
}

/** The draft as the API stores it. */
export const storedGraphOf = (state: CanvasState) => toStoredGraph(state);

/**
 * A store for one open journey. Edits are commands: each records the graph before it, so undo and
 * redo are a stack of snapshots; selection and React Flow's measuring are not recorded.
 */
export function createCanvasStore(document: CanvasDocument, options: CanvasStoreOptions = {}): CanvasStore {
  const now = options.now ?? Date.now;
  return createStore<CanvasState>()((set, get) => {
    /** Applies an edit as one undoable step; `key` merges a quick series of the same edit. */
    const command = (edit: (graph: Snapshot) => Snapshot, key?: string) => {
      const state = get();
      if (state.readOnly) return;
      const next = edit(snapshotOf(state));
      if (next.nodes === state.nodes && next.edges === state.edges && next.settings === state.settings) {
        if (next.direction === state.direction) return;
      }
      const at = now();
      const merge = key !== undefined && state.lastEdit?.key === key && at - state.lastEdit.at < COALESCE_MS;
      set({
        ...next,
        past: merge ? state.past : [...state.past, snapshotOf(state)].slice(-HISTORY_LIMIT),
        future: [],
        revision: state.revision + 1,
        logicRevision: state.logicRevision + 1,
        lastEdit: key !== undefined ? { key, at } : null,
      });
    };

    return {
      nodes: document.nodes,
      edges: document.edges,
      settings: document.settings,
      direction: document.direction,
      extra: document.extra,
      readOnly: options.readOnly ?? false,
      revision: 0,
      logicRevision: 0,
      restored: 0,
      past: [],
      future: [],
      clipboard: null,
      validation: options.validation ?? { revision: null, problems: [], views: {} },
      lastEdit: null,
      highlight: null,

      onNodesChange(changes) {
        const state = get();
        let recorded = false;
        let structural = false;
        let nudged = false;
        let moved = false;
        let dragging = false;
        for (const change of changes) {
          if (change.type === 'position') {
            if (state.readOnly) return;
            moved = true;
            const node = state.nodes.find((candidate) => candidate.id === change.id);
            // The first move of a drag records where the nodes were.
            if (change.dragging && node && !node.dragging) recorded = true;
            if (change.dragging) dragging = true;
            // A move that is no drag's is an arrow key's: a run of them is one step.
            if (!change.dragging && change.position && node && !node.dragging) nudged = true;
          }
          if (change.type === 'remove' || change.type === 'add' || change.type === 'replace') {
            if (state.readOnly) return;
            recorded = true;
            structural = true;
          }
        }
        const nodes = applyNodeChanges(changes, state.nodes);
        // Moving steps changes nothing validation reads; and a drag is one change to save, counted
        // when it ends, so that no save or check runs on each of its frames.
        const revisions = structural
          ? { revision: state.revision + 1, logicRevision: state.logicRevision + 1 }
          : moved && !dragging
            ? { revision: state.revision + 1 }
            : {};
        const at = now();
        const merge = !recorded && state.lastEdit?.key === 'nudge' && at - state.lastEdit.at < COALESCE_MS;
        if (recorded || (nudged && !merge)) {
          set({
            nodes,
            ...revisions,
            past: [...state.past, snapshotOf(state)].slice(-HISTORY_LIMIT),
            future: [],
            lastEdit: nudged && !recorded ? { key: 'nudge', at } : null,
          });
        } else if (nudged) set({ nodes, ...revisions, lastEdit: { key: 'nudge', at } });
        else set({ nodes, ...revisions });
      },

      onEdgesChange(changes) {
        const state = get();
        const structural = changes.some((change) => change.type !== 'select');
        if (structural && state.readOnly) return;
        const edges = applyEdgeChanges(changes, state.edges);
        if (!structural) return set({ edges });
        set({
          edges,
          past: [...state.past, snapshotOf(state)].slice(-HISTORY_LIMIT),
          future: [],
          revision: state.revision + 1,
          logicRevision: state.logicRevision + 1,
          lastEdit: null,
        });
      },

      addNode(nodeType, position, config) {
        let id = '';
        command((graph) => {
          const result = edits.addNode(graph, nodeType, position, config);
          id = result.id;
          return { ...graph, ...result.graph };
        });
        return id;
      },

      connect(source, port, target) {
        command((graph) => ({ ...graph, ...edits.connect(graph, source, port, target) }));
      },

      disconnect(source, port) {
        command((graph) => ({ ...graph, ...edits.disconnect(graph, source, port) }));
      },

      updateConfig(id, config) {
        command((graph) => ({ ...graph, ...edits.updateNodeData(graph, id, { config }) }), `config:${id}`);
      },

      updateLabel(id, label) {
        command((graph) => ({ ...graph, ...edits.updateNodeData(graph, id, { label }) }), `label:${id}`);
      },

      updateSettings(settings) {
        command((graph) => ({ ...graph, settings }), 'settings');
      },

      deleteSelection() {
        const state = get();
        if (!state.nodes.some((node) => node.selected) && !state.edges.some((edge) => edge.selected)) return;
        command((graph) => ({ ...graph, ...edits.deleteSelection(graph) }));
      },

      copySelection() {
        const clipboard = edits.copySelection(get());
        if (clipboard) set({ clipboard });
      },

      paste() {
        const { clipboard } = get();
        if (!clipboard) return;
        command((graph) => ({ ...graph, ...edits.paste(graph, clipboard) }));
        // Pasting again offsets from the last copy, so copies do not pile on one spot.
        const pasted = get().nodes.filter((node) => node.selected);
        set({
          clipboard: {
            ...clipboard,
            nodes: clipboard.nodes.map((node, index) => ({
              ...node,
              position: pasted[index]?.position ?? node.position,
            })),
          },
        });
      },

      select(ids) {
        const state = get();
        set(edits.selectOnly(state, new Set(ids)));
      },

      layout(direction) {
        command((graph) => ({
          ...graph,
          ...edits.moveNodes(graph, layoutPositions(graph.nodes, graph.edges, direction)),
          direction,
        }));
      },

      undo() {
        const state = get();
        const previous = state.past.at(-1);
        if (!previous || state.readOnly) return;
        set({
          ...previous,
          past: state.past.slice(0, -1),
          future: [snapshotOf(state), ...state.future],
          revision: state.revision + 1,
          logicRevision: state.logicRevision + 1,
          restored: state.restored + 1,
          lastEdit: null,
        });
      },

      redo() {
        const state = get();
        const next = state.future[0];
        if (!next || state.readOnly) return;
        set({
          ...next,
          past: [...state.past, snapshotOf(state)],
          future: state.future.slice(1),
          revision: state.revision + 1,
          logicRevision: state.logicRevision + 1,
          restored: state.restored + 1,
          lastEdit: null,
        });
      },

      setValidation(validation) {
        set({ validation: sharedValidation(get().validation, validation) });
      },

      setHighlight(highlight) {
        set({ highlight });
      },
    };
  });
}

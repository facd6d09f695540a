import { useQueryClient } from '@tanstack/react-query';
import type { NodeTypeDescription } from '@touchline/journey';
import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import { useCallback, useMemo, useRef, useState } from 'react';
import { CanvasFlow, DROP_OFFSET } from './CanvasFlow';
import { canvasApi, type JourneyDetail, type JourneySummary, type RunningEnrollments } from './canvas-api';
import { CanvasStoreContext, NodeTypesContext, useCanvas } from './canvas-context';
import { type CanvasStore, createCanvasStore } from './canvas-store';
import { DraftConflictNotice } from './DraftConflictNotice';
import { EditorToolbar, type SidePanel } from './EditorToolbar';
import { fromStoredGraph } from './graph-model';
import { JourneySettingsPanel } from './JourneySettingsPanel';
import { NodeSettingsPanel } from './NodeSettingsPanel';
import { Palette } from './Palette';
import { ProblemsList } from './ProblemsList';
import { PublishDialog } from './PublishDialog';
import { PublishPanel } from './PublishPanel';
import { SimulatorPanel } from './SimulatorPanel';
import { useAutosave } from './use-autosave';
import { useLiveValidation } from './use-live-validation';
import { useCanvasShortcuts } from './use-shortcuts';
import { VersionHistory } from './VersionHistory';

interface Props {
  journey: JourneyDetail;
  nodeTypes: readonly NodeTypeDescription[];
  /** Fetches the journey again and opens a fresh editor (and draft store) on it. */
  onReload: () => Promise<void>;
}

/** The open journey: one canvas store for the draft, created once per journey (or reload). */
export function JourneyEditor({ journey, nodeTypes, onReload }: Props) {
  const descriptions = useMemo(() => new Map(nodeTypes.map((d) => [d.type, d])), [nodeTypes]);
  const [draftStore] = useState(() =>
    createCanvasStore(fromStoredGraph(journey.graph), {
      validation: { revision: 0, problems: journey.validation?.errors ?? [], views: journey.nodes ?? {} },
    }),
  );
  const [viewing, setViewing] = useState<{ version: number; store: CanvasStore } | null>(null);
  const [panel, setPanel] = useState<SidePanel>('settings');
  const store = viewing?.store ?? draftStore;

  return (
    <NodeTypesContext.Provider value={descriptions}>
      <CanvasStoreContext.Provider value={store}>
        <ReactFlowProvider key={viewing ? `version-${viewing.version}` : 'draft'}>
          <EditorFrame
            journey={journey}
            draftStore={draftStore}
            viewingVersion={viewing?.version ?? null}
            panel={panel}
            onPanel={(next) => {
              draftStore.getState().setHighlight(null);
              setPanel(next);
            }}
            onOpenVersion={async (version) => {
              const stored = await canvasApi.version(journey.id, version);
              const validation = await canvasApi.validate(stored.graph);
              setViewing({
                version,
                store: createCanvasStore(fromStoredGraph(stored.graph), {
                  readOnly: true,
                  validation: { revision: 0, ...validation },
                }),
              });
            }}
            onBackToDraft={() => setViewing(null)}
            onReload={onReload}
          />
        </ReactFlowProvider>
      </CanvasStoreContext.Provider>
    </NodeTypesContext.Provider>
  );
}

interface FrameProps {
  journey: JourneyDetail;
  draftStore: CanvasStore;
  viewingVersion: number | null;
  panel: SidePanel;
  onPanel: (panel: SidePanel) => void;
  onOpenVersion: (version: number) => Promise<void>;
  onBackToDraft: () => void;
  onReload: () => Promise<void>;
}

function EditorFrame({
  journey,
  draftStore,
  viewingVersion,
  panel,
  onPanel,
  onOpenVersion,
  onBackToDraft,
  onReload,
}: FrameProps) {
  const queryClient = useQueryClient();
  const canvasRef = useRef<HTMLDivElement>(null);
  const { screenToFlowPosition } = useReactFlow();
  const {
    status: saveStatus,
    conflict,
    flush,
    keepMine,
  } = useAutosave(draftStore, journey.id, journey.draftRevision);
  useLiveValidation(draftStore);
  const [dialog, setDialog] = useState(false);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const readOnly = viewingVersion !== null;
  useCanvasShortcuts(draftStore, !readOnly && !dialog);

  // Primitives, not node objects: dragging the selected node changes its object every frame, and
  // the frame (side panel, settings form) must not render again for that.
  const selectedNodes = useCanvas((state) => state.nodes.filter((node) => node.selected).length);
  const selected = useCanvas((state) => {
    const chosen = state.nodes.filter((node) => node.selected);
    return chosen.length === 1 ? chosen[0]?.id : undefined;
  });

  const updateJourney = useCallback(
    (summary: JourneySummary) => {
      queryClient.setQueryData<JourneyDetail>(['journey', journey.id], (old) =>
        old ? { ...old, ...summary } : old,
      );
      void queryClient.invalidateQueries({ queryKey: ['journeys'] });
    },
    [queryClient, journey.id],
  );

  const addAtCentre = (nodeType: NodeTypeDescription) => {
    const rect = canvasRef.current?.getBoundingClientRect();
    if (!rect) return;
    const centre = screenToFlowPosition({ x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 });
    let position = { x: centre.x - DROP_OFFSET.x, y: centre.y - DROP_OFFSET.y };
    const taken = draftStore.getState().nodes;
    // Adding several in a row fans them out instead of stacking them on one spot.
    while (
      taken.some(
        (node) => Math.abs(node.position.x - position.x) < 20 && Math.abs(node.position.y - position.y) < 20,
      )
    ) {
      position = { x: position.x + 40, y: position.y + 40 };
    }
    draftStore.getState().addNode(nodeType.type, position, nodeType.defaults ?? {});
  };

  const publish = async (runningEnrollments: RunningEnrollments) => {
    setBusy(true);
    setActionError(null);
    try {
      await flush();
      const result = await canvasApi.publish(journey.id, runningEnrollments);
      updateJourney(result.journey);
      setDialog(false);
      setNotice(
        `Version ${result.version} is live${result.moved > 0 ? `; ${result.moved} running enrollments moved to it` : ''}.`,
      );
    } catch (error) {
      setActionError(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };

  const setRunning = async (action: 'pause' | 'resume') => {
    setBusy(true);
    setNotice(null);
    try {
      updateJourney(await canvasApi.setRunning(journey.id, action));
      setNotice(action === 'pause' ? 'Paused: no one enters or moves on until you resume.' : 'Resumed.');
    } catch (error) {
      setNotice(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="tl-editor">
      <EditorToolbar
        name={journey.name}
        saveStatus={saveStatus}
        viewingVersion={viewingVersion}
        panel={panel}
        onPanel={onPanel}
      />
      {conflict && <DraftConflictNotice conflict={conflict} onReload={onReload} onKeepMine={keepMine} />}
      <div className={`tl-editor-body${readOnly ? ' tl-editor-readonly' : ''}`}>
        {readOnly ? (
          <aside className="tl-palette tl-viewing-note" aria-label="Version">
            <p>
              You are looking at published version {viewingVersion}. It cannot change; edit the draft and
              publish again.
            </p>
            <button type="button" className="tl-button tl-button-primary" onClick={onBackToDraft}>
              Back to the draft
            </button>
          </aside>
        ) : (
          <Palette onAdd={addAtCentre} />
        )}
        <div className="tl-canvas-column">
          <CanvasFlow wrapperRef={canvasRef} />
          <ProblemsList />
        </div>
        <aside className="tl-side" aria-label="Settings">
          {!readOnly && (
            <PublishPanel
              journey={journey}
              busy={busy}
              onPublish={() => {
                setActionError(null);
                setDialog(true);
              }}
              onSetRunning={(action) => void setRunning(action)}
            />
          )}
          {notice && (
            <p className="tl-notice" role="status">
              {notice}
            </p>
          )}
          {panel === 'simulate' && !readOnly ? (
            <SimulatorPanel journeyId={journey.id} beforeRun={flush} />
          ) : panel === 'history' ? (
            <>
              <VersionHistory
                journeyId={journey.id}
                liveVersion={journey.liveVersion}
                viewing={viewingVersion}
                onOpen={onOpenVersion}
                onBackToDraft={onBackToDraft}
              />
              {/* A step of the version on view shows its settings under the list. */}
              {selected && <NodeSettingsPanel key={selected} nodeId={selected} />}
            </>
          ) : selected ? (
            <NodeSettingsPanel key={selected} nodeId={selected} />
          ) : selectedNodes > 1 ? (
            <section className="tl-panel">
              <h2>{selectedNodes} steps selected</h2>
              <p className="tl-panel-note">Copy (Ctrl+C), paste (Ctrl+V) or delete (Delete) them together.</p>
            </section>
          ) : (
            <JourneySettingsPanel />
          )}
        </aside>
      </div>
      {dialog && (
        <PublishDialog
          journey={journey}
          publishing={busy}
          error={actionError}
          onConfirm={(running) => void publish(running)}
          onCancel={() => setDialog(false)}
        />
      )}
    </main>
  );
}

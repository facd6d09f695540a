import { useReactFlow } from '@xyflow/react';
import { useCanvas } from './canvas-context';
import type { SaveStatus } from './use-autosave';

const saveText: Record<SaveStatus, string> = {
  saved: 'Saved',
  unsaved: 'Unsaved changes',
  saving: 'Saving…',
  failed: 'Not saved — retrying…',
  conflict: 'Not saved — changed elsewhere',
};

interface Props {
  name: string;
  saveStatus: SaveStatus;
  viewingVersion: number | null;
  panel: SidePanel;
  onPanel: (panel: SidePanel) => void;
}

/** What the side panel shows under the publish controls. */
export type SidePanel = 'settings' | 'history' | 'simulate';

/** Journey name, save status, undo/redo, layout and zoom, history. */
export function EditorToolbar({ name, saveStatus, viewingVersion, panel, onPanel }: Props) {
  const canUndo = useCanvas((state) => state.past.length > 0 && !state.readOnly);
  const canRedo = useCanvas((state) => state.future.length > 0 && !state.readOnly);
  const readOnly = useCanvas((state) => state.readOnly);
  const undo = useCanvas((state) => state.undo);
  const redo = useCanvas((state) => state.redo);
  const layout = useCanvas((state) => state.layout);
  const { fitView } = useReactFlow();
  const tidy = (direction: 'LR' | 'TB') => {
    layout(direction);
    // Fit once React Flow has drawn the new positions.
    requestAnimationFrame(() => void fitView({ padding: 0.2, maxZoom: 1, duration: 300 }));
  };

  return (
    <div className="tl-toolbar" role="toolbar" aria-label="Journey editor">
      <h1 className="tl-journey-name">{name}</h1>
      {viewingVersion !== null ? (
        <span className="tl-save tl-viewing">Version {viewingVersion} · read-only</span>
      ) : (
        <span className={`tl-save tl-save-${saveStatus}`} role="status" data-testid="save-status">
          {saveText[saveStatus]}
        </span>
      )}
      <div className="tl-toolbar-group">
        <button type="button" className="tl-button" disabled={!canUndo} onClick={undo} title="Undo (Ctrl+Z)">
          Undo
        </button>
        <button
          type="button"
          className="tl-button"
          disabled={!canRedo}
          onClick={redo}
          title="Redo (Ctrl+Shift+Z)"
        >
          Redo
        </button>
      </div>
      <div className="tl-toolbar-group">
        <button
          type="button"
          className="tl-button"
          disabled={readOnly}
          onClick={() => tidy('TB')}
          aria-label="Auto-layout top down"
        >
          Layout ↓
        </button>
        <button
          type="button"
          className="tl-button"
          disabled={readOnly}
          onClick={() => tidy('LR')}
          aria-label="Auto-layout left to right"
        >
          Layout →
        </button>
        <button
          type="button"
          className="tl-button"
          onClick={() => void fitView({ padding: 0.2, maxZoom: 1, duration: 300 })}
        >
          Zoom to fit
        </button>
      </div>
      <div className="tl-toolbar-group">
        <button
          type="button"
          className="tl-button"
          aria-pressed={panel === 'simulate'}
          disabled={readOnly}
          onClick={() => onPanel(panel === 'simulate' ? 'settings' : 'simulate')}
        >
          Simulate
        </button>
        <button
          type="button"
          className="tl-button"
          aria-pressed={panel === 'history'}
          onClick={() => onPanel(panel === 'history' ? 'settings' : 'history')}
        >
          History
        </button>
      </div>
    </div>
  );
}

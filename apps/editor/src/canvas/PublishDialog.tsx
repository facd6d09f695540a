import { useQuery } from '@tanstack/react-query';
import { useContext, useEffect, useRef, useState } from 'react';
import { canvasApi, type JourneySummary, type RunningEnrollments } from './canvas-api';
import { NodeTypesContext, useCanvasStore } from './canvas-context';
import { storedGraphOf } from './canvas-store';
import { type DiffNode, diffVersions } from './version-diff';

interface Props {
  journey: JourneySummary;
  publishing: boolean;
  error: string | null;
  onConfirm: (runningEnrollments: RunningEnrollments) => void;
  onCancel: () => void;
}

/** Confirms a publish: what changes against the live version, and where running enrollments go. */
export function PublishDialog({ journey, publishing, error, onConfirm, onCancel }: Props) {
  const descriptions = useContext(NodeTypesContext);
  const store = useCanvasStore();
  // The draft as it is when the dialog opens: the canvas sits behind a modal dialog.
  const [draft] = useState(() => storedGraphOf(store.getState()));
  const [running, setRunning] = useState<RunningEnrollments>('stay');
  const dialog = useRef<HTMLDivElement>(null);
  const live = useQuery({
    queryKey: ['journey-version', journey.id, journey.liveVersion],
    queryFn: () => canvasApi.version(journey.id, journey.liveVersion!),
    enabled: journey.liveVersion !== null,
  });

  useEffect(() => {
    dialog.current?.querySelector<HTMLElement>('button[data-autofocus]')?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onCancel();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onCancel]);

  const liveGraph =
    journey.liveVersion === null ? null : (live.data?.graph as Parameters<typeof diffVersions>[0]);
  const diff = journey.liveVersion === null || live.data ? diffVersions(liveGraph ?? null, draft) : null;
  const name = (node: DiffNode) => node.label || descriptions.get(node.type)?.label || node.type;
  const list = (title: string, nodes: DiffNode[]) =>
    nodes.length > 0 && (
      <div className="tl-diff-group">
        <h3>{title}</h3>
        <ul aria-label={title}>
          {nodes.map((node) => (
            <li key={node.id}>
              {name(node)} <code>{node.id}</code>
            </li>
          ))}
        </ul>
      </div>
    );

  return (
    <div className="tl-dialog-backdrop">
      <div
        className="tl-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="tl-publish-title"
        ref={dialog}
      >
        <h2 id="tl-publish-title">
          Publish {journey.liveVersion === null ? 'the first version' : `version ${journey.liveVersion + 1}`}
        </h2>
        {!diff ? (
          <p aria-busy="true">Comparing with the live version…</p>
        ) : journey.liveVersion === null ? (
          <p>{diff.added.length} steps go live. New profiles start entering as soon as you publish.</p>
        ) : (
          <>
            <p>Changes from version {journey.liveVersion}, the live one:</p>
            {list('Steps added', diff.added)}
            {list('Steps removed', diff.removed)}
            {list('Steps changed', diff.changed)}
            {diff.edgesChanged > 0 && <p>{diff.edgesChanged} connections changed.</p>}
            {diff.settingsChanged && <p>The journey settings changed.</p>}
            {diff.added.length + diff.removed.length + diff.changed.length === 0 &&
              diff.edgesChanged === 0 &&
              !diff.settingsChanged && <p>No step changed; only positions moved.</p>}
            <fieldset className="tl-running">
              <legend>Profiles already in the journey</legend>
              <label className="tl-radio">
                <input
                  type="radio"
                  name="running"
                  checked={running === 'stay'}
                  onChange={() => setRunning('stay')}
                />
                Finish on version {journey.liveVersion}
              </label>
              <label className="tl-radio">
                <input
                  type="radio"
                  name="running"
                  checked={running === 'move'}
                  onChange={() => setRunning('move')}
                />
                Move to the new version, at the step with the same id (others stay)
              </label>
            </fieldset>
          </>
        )}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="tl-dialog-actions">
          <button type="button" className="tl-button" onClick={onCancel}>
            Cancel
          </button>
          <button
            type="button"
            className="tl-button tl-button-primary"
            data-autofocus
            disabled={!diff || publishing}
            onClick={() => onConfirm(running)}
          >
            {publishing ? 'Publishing…' : 'Publish now'}
          </button>
        </div>
      </div>
    </div>
  );
}

import { useContext } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { JourneySummary } from './canvas-api';
import { NodeTypesContext, useCanvas } from './canvas-context';
import { problemPlace } from './ProblemsList';

const statusNames = { draft: 'Draft', live: 'Live', paused: 'Paused', archived: 'Archived' } as const;

interface Props {
  journey: JourneySummary;
  busy: boolean;
  onPublish: () => void;
  onSetRunning: (action: 'pause' | 'resume') => void;
}

/** Status, publish, pause and resume — and, while publishing is blocked, why. */
export function PublishPanel({ journey, busy, onPublish, onSetRunning }: Props) {
  const problems = useCanvas((state) => state.validation.problems);
  const checking = useCanvas((state) => state.validation.revision !== state.logicRevision);
  const descriptions = useContext(NodeTypesContext);
  const labels = (type: string) => descriptions.get(type)?.label ?? type;
  // Strings, not the nodes: moving a node (each frame of a drag) does not render the panel.
  const places = useCanvas(
    useShallow((state) => problems.slice(0, 6).map((problem) => problemPlace(problem, state, labels))),
  );
  const blocked = problems.length > 0;

  return (
    <section className="tl-publish" aria-label="Publishing">
      <div className="tl-publish-row">
        <span className={`tl-status tl-status-${journey.status}`} data-testid="journey-status">
          {statusNames[journey.status]}
          {journey.liveVersion !== null ? ` · v${journey.liveVersion}` : ''}
        </span>
        {journey.status === 'live' && (
          <button type="button" className="tl-button" disabled={busy} onClick={() => onSetRunning('pause')}>
            Pause
          </button>
        )}
        {journey.status === 'paused' && (
          <button type="button" className="tl-button" disabled={busy} onClick={() => onSetRunning('resume')}>
            Resume
          </button>
        )}
        <button
          type="button"
          className="tl-button tl-button-primary"
          disabled={blocked || checking || busy || journey.status === 'archived'}
          aria-describedby="tl-publish-blockers"
          onClick={onPublish}
        >
          Publish
        </button>
      </div>
      <div id="tl-publish-blockers" className="tl-publish-blockers" aria-live="polite">
        {checking ? (
          <p className="tl-publish-note">Checking the journey…</p>
        ) : blocked ? (
          <>
            <p className="tl-publish-note">
              Fix {problems.length === 1 ? 'this problem' : `these ${problems.length} problems`} to publish:
            </p>
            <ul aria-label="Why the journey cannot be published">
              {problems.slice(0, 6).map((problem, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: messages can repeat; the order is stable
                <li key={index}>
                  <strong>{places[index]}:</strong> {problem.message}
                </li>
              ))}
              {problems.length > 6 && <li>and {problems.length - 6} more (see Problems)</li>}
            </ul>
          </>
        ) : (
          <p className="tl-publish-note tl-publish-ready">Ready to publish.</p>
        )}
      </div>
    </section>
  );
}

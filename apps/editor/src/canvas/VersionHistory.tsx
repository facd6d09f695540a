import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { canvasApi } from './canvas-api';

interface Props {
  journeyId: string;
  liveVersion: number | null;
  viewing: number | null;
  onOpen: (version: number) => Promise<void>;
  onBackToDraft: () => void;
}

/** Published versions, newest first; opening one shows it on the canvas, read-only. */
export function VersionHistory({ journeyId, liveVersion, viewing, onOpen, onBackToDraft }: Props) {
  const versions = useQuery({
    queryKey: ['journey-versions', journeyId, liveVersion],
    queryFn: () => canvasApi.versions(journeyId),
  });
  const [openError, setOpenError] = useState<string | null>(null);
  return (
    <section className="tl-panel" aria-labelledby="tl-history-title">
      <h2 id="tl-history-title">Version history</h2>
      {viewing !== null && (
        <button type="button" className="tl-button" onClick={onBackToDraft}>
          Back to the draft
        </button>
      )}
      {openError && (
        <p className="error" role="alert">
          {openError}
        </p>
      )}
      {versions.isPending ? (
        <p aria-busy="true">Loading…</p>
      ) : versions.isError ? (
        <p className="error">{versions.error.message}</p>
      ) : versions.data.length === 0 ? (
        <p className="tl-panel-note">Nothing published yet. Each publish keeps a version here.</p>
      ) : (
        <ol className="tl-versions">
          {versions.data.map((version) => (
            <li key={version.version} aria-current={viewing === version.version ? 'true' : undefined}>
              <div>
                <strong>Version {version.version}</strong>
                {version.version === liveVersion && <span className="tl-status tl-status-live">live</span>}
                <div className="tl-panel-note">{new Date(version.publishedAt).toLocaleString()}</div>
              </div>
              <button
                type="button"
                className="tl-button"
                disabled={viewing === version.version}
                onClick={() => {
                  setOpenError(null);
                  onOpen(version.version).catch((error: unknown) =>
                    setOpenError(error instanceof Error ? error.message : String(error)),
                  );
                }}
                aria-label={`Open version ${version.version}`}
              >
                Open
              </button>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

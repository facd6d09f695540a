import type { Session } from './api';

/** The signed-in frame; the journeys list and canvas land here. */
export function Shell({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  return (
    <div className="shell">
      <header className="topbar">
        <div className="brand">
          <span className="logo" aria-hidden="true" />
          Touchline
        </div>
        <nav aria-label="Main">
          <a href="/" aria-current="page">
            Journeys
          </a>
        </nav>
        <div className="who">
          <span data-testid="signed-in-as">{session.email ?? 'API token'}</span>
          <button type="button" className="link" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      <main className="content">
        <h1>Journeys</h1>
        <p className="muted">Your journeys will appear here.</p>
      </main>
    </div>
  );
}

import { lazy, Suspense } from 'react';
import { NavLink, Route, Routes } from 'react-router';
import type { Session } from './api';
import { JourneyCanvasPage } from './canvas/JourneyCanvasPage';
import { JourneysPage } from './journeys/JourneysPage';
import { TemplatesPage } from './templates/TemplatesPage';

// The template editor brings the code editor (CodeMirror, a third of the app's script): loaded when
// a template is opened, not with every journey.
const TemplateEditorPage = lazy(async () => ({
  default: (await import('./templates/TemplateEditorPage')).TemplateEditorPage,
}));
const loading = <div className="loading" aria-busy="true" />;

/** The signed-in frame: top bar and the routed page beneath it. */
export function Shell({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  return (
    <div className="shell">
      <header className="topbar">
        <div className="brand">
          <span className="logo" aria-hidden="true" />
          Touchline
        </div>
        <nav aria-label="Main">
          <NavLink to="/" end>
            Journeys
          </NavLink>
          <NavLink to="/templates">Templates</NavLink>
        </nav>
        <div className="who">
          <span data-testid="signed-in-as">{session.email ?? 'API token'}</span>
          <button type="button" className="link" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      <Routes>
        <Route path="/" element={<JourneysPage />} />
        <Route path="/journeys/:id" element={<JourneyCanvasPage />} />
        <Route path="/templates" element={<TemplatesPage />} />
        <Route
          path="/templates/:id"
          element={
            <Suspense fallback={loading}>
              <TemplateEditorPage />
            </Suspense>
          }
        />
        <Route
          path="*"
          element={
            <main className="content">
              <h1>Not found</h1>
              <p className="muted">There is no page here.</p>
            </main>
          }
        />
      </Routes>
    </div>
  );
}

/** The journeys list (placeholder until the list lands). */
export function JourneysPage() {
  return (
    <main className="content">
      <h1>Journeys</h1>
      <p className="muted">Your journeys will appear here.</p>
    </main>
  );
}

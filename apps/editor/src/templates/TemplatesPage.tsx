/** The templates list (placeholder until the list lands). */
export function TemplatesPage() {
  return (
    <main className="content">
      <h1>Templates</h1>
    </main>
  );
}

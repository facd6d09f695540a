/** One template's editor (placeholder until the editor lands). */
export function TemplateEditorPage() {
  return (
    <main className="content">
      <h1>Template</h1>
    </main>
  );
}

/** One journey on the canvas (placeholder until the canvas lands). */
export function JourneyCanvasPage() {
  return (
    <main className="content">
      <h1>Journey</h1>
    </main>
  );
}

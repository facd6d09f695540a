import { html } from '@codemirror/lang-html';
import { RangeSetBuilder, StateEffect, StateField } from '@codemirror/state';
import { Decoration, type DecorationSet, EditorView } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { useEffect, useRef } from 'react';

const setErrorLines = StateEffect.define<readonly number[]>();
const errorLine = Decoration.line({ class: 'cm-error-line' });

/** The lines the server named in its errors, marked until the next set replaces them. */
const errorLines = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(decorations, transaction) {
    let next = decorations.map(transaction.changes);
    for (const effect of transaction.effects) {
      if (!effect.is(setErrorLines)) continue;
      const builder = new RangeSetBuilder<Decoration>();
      const lines = [...new Set(effect.value)].sort((a, b) => a - b);
      for (const number of lines) {
        if (number < 1 || number > transaction.state.doc.lines) continue;
        const line = transaction.state.doc.line(number);
        builder.add(line.from, line.from, errorLine);
      }
      next = builder.finish();
    }
    return next;
  },
  provide: (field) => EditorView.decorations.from(field),
});

/** CodeMirror in HTML mode for a template's MJML; the lines in `errorLines` are highlighted. */
export function MjmlEditor({
  value,
  onChange,
  errorLines: lines,
  focusLine,
}: {
  value: string;
  onChange: (value: string) => void;
  errorLines: readonly number[];
  /** Moves the cursor to this line when it changes (an error clicked in the list). */
  focusLine?: { line: number } | null;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const changed = useRef(onChange);
  changed.current = onChange;

  // One editor per mount; the document is then kept in step with `value` below.
  // biome-ignore lint/correctness/useExhaustiveDependencies: created once, with the first value
  useEffect(() => {
    if (!host.current) return;
    const editor = new EditorView({
      parent: host.current,
      doc: value,
      extensions: [
        basicSetup,
        html(),
        errorLines,
        EditorView.lineWrapping,
        EditorView.contentAttributes.of({ 'aria-label': 'MJML' }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) changed.current(update.state.doc.toString());
        }),
      ],
    });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
  }, []);

  useEffect(() => {
    const editor = view.current;
    if (!editor || editor.state.doc.toString() === value) return;
    editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: value } });
  }, [value]);

  useEffect(() => {
    view.current?.dispatch({ effects: setErrorLines.of(lines) });
  }, [lines]);

  useEffect(() => {
    const editor = view.current;
    if (!editor || !focusLine || focusLine.line > editor.state.doc.lines) return;
    const line = editor.state.doc.line(focusLine.line);
    editor.dispatch({ selection: { anchor: line.from }, scrollIntoView: true });
    editor.focus();
  }, [focusLine]);

  return <div className="mjml-editor" ref={host} data-testid="mjml-editor" />;
}

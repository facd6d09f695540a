import { useState } from 'react';
import type { InputProps } from './FieldShell';

/** The fallback for shapes the form cannot draw: JSON, applied whenever it parses. */
export function JsonField({
  id,
  describedBy,
  invalid,
  value,
  onChange,
  allowEmpty = false,
}: InputProps & {
  value: unknown;
  onChange: (next: unknown) => void;
  /** Emptied, the value is removed (an optional field); else an empty box is just not JSON yet. */
  allowEmpty?: boolean;
}) {
  const shown = value === undefined ? '' : JSON.stringify(value, null, 2);
  const [draft, setDraft] = useState<{ text: string; basis: string; valid: boolean } | null>(null);
  // A draft survives only while the value it was typed over is unchanged.
  const text = draft && draft.basis === shown ? draft.text : shown;
  const broken = draft !== null && draft.basis === shown && !draft.valid;
  return (
    <>
      <textarea
        id={id}
        className="tl-input tl-input--json"
        spellCheck={false}
        rows={Math.min(10, Math.max(3, text.split('\n').length))}
        aria-describedby={describedBy}
        aria-invalid={invalid || broken || undefined}
        value={text}
        onChange={(event) => {
          const next = event.target.value;
          if (next.trim() === '' && allowEmpty) {
            setDraft(null);
            onChange(undefined);
            return;
          }
          try {
            const parsed: unknown = JSON.parse(next);
            setDraft({ text: next, basis: JSON.stringify(parsed, null, 2), valid: true });
            onChange(parsed);
          } catch {
            setDraft({ text: next, basis: shown, valid: false });
          }
        }}
      />
      {broken ? <p className="tl-field__hint">Not valid JSON yet; the last valid value is kept.</p> : null}
    </>
  );
}

import { type InputHTMLAttributes, useId } from 'react';

export interface Suggestion {
  value: string;
  /** Shown beside the value in the browser's list, e.g. "12 recent". */
  label?: string;
}

/** A free-text box that offers `suggestions` (a datalist): typing anything else stays allowed. */
export function SuggestingInput({
  suggestions,
  ...input
}: { suggestions: readonly Suggestion[] } & Omit<
  InputHTMLAttributes<HTMLInputElement>,
  'list' | 'className' | 'autoComplete'
>) {
  const listId = useId();
  return (
    <>
      <input {...input} className="tl-input" list={listId} autoComplete="off" />
      <datalist id={listId}>
        {suggestions.map((suggestion) => (
          <option key={suggestion.value} value={suggestion.value}>
            {suggestion.label}
          </option>
        ))}
      </datalist>
    </>
  );
}

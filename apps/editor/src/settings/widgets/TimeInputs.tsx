import { useId } from 'react';
import type { WidgetProps } from '../fields/SchemaField';

/** A wall-clock time `HH:MM`. */
export function TimeOfDayInput({ input, value, onChange, required }: WidgetProps) {
  return (
    <input
      id={input.id}
      className="tl-input tl-input--time"
      type="time"
      aria-describedby={input.describedBy}
      aria-invalid={input.invalid || undefined}
      value={typeof value === 'string' ? value : ''}
      onChange={(event) => onChange(event.target.value === '' && !required ? undefined : event.target.value)}
    />
  );
}

function timezoneNames(): readonly string[] {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (key: 'timeZone') => string[] };
  try {
    return intl.supportedValuesOf?.('timeZone') ?? ['UTC'];
  } catch {
    return ['UTC'];
  }
}

let zones: readonly string[] | undefined;

/** `profile` (each person's own timezone) or an IANA name, with every name as a suggestion. */
export function TimezoneInput({ input, value, onChange, required }: WidgetProps) {
  const listId = useId();
  zones ??= timezoneNames();
  const text = typeof value === 'string' ? value : '';
  return (
    <>
      <input
        id={input.id}
        className="tl-input"
        list={listId}
        autoComplete="off"
        placeholder="profile"
        aria-describedby={input.describedBy}
        aria-invalid={input.invalid || undefined}
        value={text}
        onChange={(event) =>
          onChange(event.target.value === '' && !required ? undefined : event.target.value)
        }
      />
      <datalist id={listId}>
        <option value="profile">Each person's own timezone</option>
        {zones.map((zone) => (
          <option key={zone} value={zone} />
        ))}
      </datalist>
      {text === 'profile' ? <p className="tl-field__note">Each person's own timezone.</p> : null}
    </>
  );
}

import type { WidgetProps } from '../fields/SchemaField';
import { SuggestingInput, type Suggestion } from './SuggestingInput';

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

let zones: readonly Suggestion[] | undefined;

/** `profile` (each person's own timezone) or an IANA name, with every name as a suggestion. */
export function TimezoneInput({ input, value, onChange, required }: WidgetProps) {
  zones ??= [
    { value: 'profile', label: "Each person's own timezone" },
    ...timezoneNames().map((zone) => ({ value: zone })),
  ];
  const text = typeof value === 'string' ? value : '';
  return (
    <>
      <SuggestingInput
        id={input.id}
        placeholder="profile"
        aria-describedby={input.describedBy}
        aria-invalid={input.invalid || undefined}
        value={text}
        onChange={(event) =>
          onChange(event.target.value === '' && !required ? undefined : event.target.value)
        }
        suggestions={zones}
      />
      {text === 'profile' ? <p className="tl-field__note">Each person's own timezone.</p> : null}
    </>
  );
}

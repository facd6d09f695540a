import { useEventNames } from '../data/lookups';
import type { WidgetProps } from '../fields/SchemaField';
import { useFormContext } from '../form-context';
import { SuggestingInput } from './SuggestingInput';

/** An event name, typed or picked from the names the workspace has recently tracked. */
export function EventNameInput({ input, value, onChange, required }: WidgetProps) {
  const { lookups } = useFormContext();
  const names = useEventNames(lookups);
  const text = typeof value === 'string' ? value : '';
  const known = names.data?.find((event) => event.name === text);
  return (
    <>
      <SuggestingInput
        id={input.id}
        placeholder="e.g. order_completed"
        aria-describedby={input.describedBy}
        aria-invalid={input.invalid || undefined}
        value={text}
        onChange={(event) =>
          onChange(event.target.value === '' && !required ? undefined : event.target.value)
        }
        suggestions={(names.data ?? []).map((event) => ({
          value: event.name,
          label: `${event.count} recent`,
        }))}
      />
      {text !== '' && names.data && names.data.length > 0 && !known ? (
        <p className="tl-field__note">Not seen recently; check the spelling.</p>
      ) : null}
    </>
  );
}

/** The property keys recently seen on events named `eventName`. */
export function usePropertyKeys(eventName: unknown): readonly string[] {
  const { lookups } = useFormContext();
  const names = useEventNames(lookups);
  if (typeof eventName !== 'string') return [];
  return names.data?.find((event) => event.name === eventName)?.properties ?? [];
}

/** A property of the node's event (`cart_id`), with the keys seen on it as suggestions. */
export function PropertyPathInput({ input, value, onChange, required }: WidgetProps) {
  const { config } = useFormContext();
  const eventName =
    config !== null && typeof config === 'object' ? (config as Record<string, unknown>).event : undefined;
  const keys = usePropertyKeys(eventName);
  return (
    <SuggestingInput
      id={input.id}
      placeholder={keys[0] ?? 'e.g. cart_id'}
      aria-describedby={input.describedBy}
      aria-invalid={input.invalid || undefined}
      value={typeof value === 'string' ? value : ''}
      onChange={(event) => onChange(event.target.value === '' && !required ? undefined : event.target.value)}
      suggestions={keys.map((key) => ({ value: key }))}
    />
  );
}

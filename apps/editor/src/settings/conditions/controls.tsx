import { useEventNames } from '../data/lookups';
import { useFormContext } from '../form-context';
import { usePropertyKeys } from '../widgets/EventNameInput';
import { SuggestingInput } from '../widgets/SuggestingInput';

/** An event name box with the workspace's recent event names as suggestions. */
export function EventNameControl({
  id,
  value,
  onChange,
}: {
  id: string;
  value: string;
  onChange: (name: string) => void;
}) {
  const { lookups } = useFormContext();
  const names = useEventNames(lookups);
  return (
    <SuggestingInput
      id={id}
      placeholder="e.g. order_completed"
      value={value}
      onChange={(event) => onChange(event.target.value)}
      suggestions={(names.data ?? []).map((event) => ({ value: event.name }))}
    />
  );
}

/** A property key box with the keys seen on `eventName` as suggestions. */
export function PropertyKeyControl({
  id,
  eventName,
  value,
  onChange,
  ariaLabel,
}: {
  id?: string;
  eventName: string | null;
  value: string;
  onChange: (key: string) => void;
  ariaLabel?: string;
}) {
  const keys = usePropertyKeys(eventName);
  return (
    <SuggestingInput
      id={id}
      aria-label={ariaLabel}
      placeholder={keys[0] ?? 'property'}
      value={value}
      onChange={(event) => onChange(event.target.value)}
      suggestions={keys.map((key) => ({ value: key }))}
    />
  );
}

/** A small visible label over a condition row's input. */
export function RowField({
  label,
  htmlFor,
  children,
}: {
  label: string;
  htmlFor: string;
  children: React.ReactNode;
}) {
  return (
    <div className="tl-cond__field">
      <label className="tl-cond__label" htmlFor={htmlFor}>
        {label}
      </label>
      {children}
    </div>
  );
}

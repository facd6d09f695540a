import { useId } from 'react';
import { useEventNames } from '../data/lookups';
import { useFormContext } from '../form-context';

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
  const listId = useId();
  return (
    <>
      <input
        id={id}
        className="tl-input"
        list={listId}
        autoComplete="off"
        placeholder="e.g. order_completed"
        value={value}
        onChange={(event) => onChange(event.target.value)}
      />
      <datalist id={listId}>
        {(names.data ?? []).map((event) => (
          <option key={event.name} value={event.name} />
        ))}
      </datalist>
    </>
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
  const { lookups } = useFormContext();
  const names = useEventNames(lookups);
  const listId = useId();
  const keys = names.data?.find((event) => event.name === eventName)?.properties ?? [];
  return (
    <>
      <input
        id={id}
        className="tl-input"
        list={listId}
        autoComplete="off"
        aria-label={ariaLabel}
        placeholder={keys[0] ?? 'property'}
        value={value}
        onChange={(event) => onChange(event.target.value)}
      />
      <datalist id={listId}>
        {keys.map((key) => (
          <option key={key} value={key} />
        ))}
      </datalist>
    </>
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

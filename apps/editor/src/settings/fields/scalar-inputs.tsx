import type { FieldKind, Scalar, Schema } from '../schema/json-schema';
import type { InputProps } from './FieldShell';

type Kind<K extends FieldKind['kind']> = Extract<FieldKind, { kind: K }>;

const inputTypeByFormat: Readonly<Record<string, string>> = { uri: 'url', email: 'email' };

/** Text; an optional field left empty is removed from the config. */
export function StringInput({
  id,
  describedBy,
  invalid,
  field,
  schema,
  value,
  onChange,
  required,
}: InputProps & {
  field: Kind<'string'>;
  schema: Schema;
  value: unknown;
  onChange: (next: unknown) => void;
  required: boolean;
}) {
  const text = typeof value === 'string' ? value : '';
  const emit = (next: string) => onChange(next === '' && !required ? undefined : next);
  const examples = Array.isArray(schema.examples) ? (schema.examples as unknown[]) : [];
  const placeholder =
    field.format === 'date-time'
      ? '2025-11-28T09:00:00Z'
      : examples[0] !== undefined
        ? String(examples[0])
        : undefined;
  if (field.multiline) {
    return (
      <textarea
        id={id}
        className="tl-input tl-input--multiline"
        aria-describedby={describedBy}
        aria-invalid={invalid || undefined}
        value={text}
        rows={3}
        onChange={(event) => emit(event.target.value)}
      />
    );
  }
  return (
    <input
      id={id}
      className="tl-input"
      type={(field.format && inputTypeByFormat[field.format]) ?? 'text'}
      aria-describedby={describedBy}
      aria-invalid={invalid || undefined}
      value={text}
      placeholder={placeholder}
      onChange={(event) => emit(event.target.value)}
    />
  );
}

export function NumberInput({
  id,
  describedBy,
  invalid,
  field,
  value,
  onChange,
}: InputProps & { field: Kind<'number'>; value: unknown; onChange: (next: unknown) => void }) {
  return (
    <input
      id={id}
      className="tl-input tl-input--number"
      type="number"
      inputMode={field.integer ? 'numeric' : 'decimal'}
      step={field.integer ? 1 : 'any'}
      min={field.minimum}
      max={field.maximum}
      aria-describedby={describedBy}
      aria-invalid={invalid || undefined}
      value={typeof value === 'number' ? value : ''}
      onChange={(event) => {
        const text = event.target.value;
        onChange(text === '' ? undefined : Number(text));
      }}
    />
  );
}

export function BooleanInput({
  id,
  describedBy,
  value,
  onChange,
}: InputProps & { value: unknown; onChange: (next: unknown) => void }) {
  return (
    <input
      id={id}
      className="tl-checkbox"
      type="checkbox"
      aria-describedby={describedBy}
      checked={value === true}
      onChange={(event) => onChange(event.target.checked)}
    />
  );
}

const optionKey = (option: Scalar) => JSON.stringify(option);

/** A select over enum values; an optional one can be left unchosen. */
export function EnumInput({
  id,
  describedBy,
  invalid,
  options,
  value,
  onChange,
  required,
}: InputProps & {
  options: readonly Scalar[];
  value: unknown;
  onChange: (next: unknown) => void;
  required: boolean;
}) {
  const current = options.find((option) => option === value);
  return (
    <select
      id={id}
      className="tl-input"
      aria-describedby={describedBy}
      aria-invalid={invalid || undefined}
      value={current === undefined ? '' : optionKey(current)}
      onChange={(event) => {
        const chosen = options.find((option) => optionKey(option) === event.target.value);
        onChange(chosen);
      }}
    >
      {current === undefined || !required ? <option value="">{required ? 'Choose…' : '—'}</option> : null}
      {options.map((option) => (
        <option key={optionKey(option)} value={optionKey(option)}>
          {String(option)}
        </option>
      ))}
    </select>
  );
}

export function ConstInput({ id, describedBy, value }: InputProps & { value: unknown }) {
  return (
    <input
      id={id}
      className="tl-input"
      readOnly
      aria-describedby={describedBy}
      value={typeof value === 'string' ? value : JSON.stringify(value)}
    />
  );
}

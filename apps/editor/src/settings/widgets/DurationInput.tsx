import { useState } from 'react';
import type { WidgetProps } from '../fields/SchemaField';
import { type DurationUnit, durationUnits, formatDuration, parseDurationParts } from './duration';

export interface DurationControlProps {
  readonly id?: string;
  readonly describedBy?: string | undefined;
  readonly invalid?: boolean;
  /** Names the number input when no `<label>` points at `id`. */
  readonly ariaLabel?: string;
  readonly placeholder?: string;
  readonly value: unknown;
  /** `undefined` when the amount is emptied. */
  readonly onChange: (next: string | undefined) => void;
}

/** A number and a unit, written as ISO-8601 (`PT1H`, `P3D`). */
export function DurationControl({
  id,
  describedBy,
  invalid,
  ariaLabel,
  placeholder,
  value,
  onChange,
}: DurationControlProps) {
  const text = typeof value === 'string' ? value : '';
  const parsed = text === '' ? null : parseDurationParts(text);
  // The unit outlives an emptied amount, so clearing "3" to type "4" keeps "days".
  const [draft, setDraft] = useState<{ amount: string; unit: DurationUnit; basis: string } | null>(null);
  const current =
    draft && draft.basis === text
      ? draft
      : { amount: parsed ? String(parsed.amount) : '', unit: parsed?.unit ?? 'hours', basis: text };

  if (text !== '' && parsed === null) {
    // Not something a number and a unit can show (hand-written JSON): edit it as text.
    return (
      <input
        id={id}
        className="tl-input"
        aria-label={ariaLabel}
        aria-describedby={describedBy}
        aria-invalid
        value={text}
        onChange={(event) => onChange(event.target.value === '' ? undefined : event.target.value)}
      />
    );
  }

  const emit = (amount: string, unit: DurationUnit) => {
    const number = Number(amount);
    const next =
      amount.trim() === '' || !Number.isFinite(number) || number < 0
        ? undefined
        : formatDuration({ amount: number, unit });
    setDraft({ amount, unit, basis: next ?? '' });
    onChange(next);
  };

  return (
    <span className="tl-duration">
      <input
        id={id}
        className="tl-input tl-input--number"
        type="number"
        min={0}
        step="any"
        inputMode="decimal"
        aria-label={ariaLabel}
        aria-describedby={describedBy}
        aria-invalid={invalid || undefined}
        placeholder={placeholder}
        value={current.amount}
        onChange={(event) => emit(event.target.value, current.unit)}
      />
      <select
        className="tl-input"
        aria-label="Unit"
        value={current.unit}
        onChange={(event) => emit(current.amount, event.target.value as DurationUnit)}
      >
        {durationUnits.map(({ unit, label }) => (
          <option key={unit} value={unit}>
            {label}
          </option>
        ))}
      </select>
    </span>
  );
}

/** The duration widget of a schema field: emptied, a required field keeps `""` for the validator to name. */
export function DurationInput({ input, value, onChange, required }: WidgetProps) {
  return (
    <DurationControl
      id={input.id}
      describedBy={input.describedBy}
      invalid={input.invalid}
      value={value}
      onChange={(next) => onChange(next === undefined && required ? '' : next)}
    />
  );
}

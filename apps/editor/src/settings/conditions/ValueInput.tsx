import type { ConditionLeaf } from '@touchline/journey';
import { useState } from 'react';
import { DurationControl } from '../widgets/DurationInput';
import {
  applyChoice,
  choiceOf,
  formatList,
  formatTypedValue,
  type OperatorChoice,
  operatorLabels,
  operatorsByType,
  parseList,
  parseTypedValue,
  retype,
  type ValueType,
} from './vocabulary';

export interface OperatorSelectProps<L extends ConditionLeaf> {
  readonly leaf: L;
  readonly type: ValueType;
  readonly onChange: (leaf: L) => void;
  readonly choices?: readonly OperatorChoice[];
  readonly labels?: Partial<Record<OperatorChoice, string>>;
}

/** The operator, in words ("at least", "is not set"). */
export function OperatorSelect<L extends ConditionLeaf>({
  leaf,
  type,
  onChange,
  choices = operatorsByType[type],
  labels,
}: OperatorSelectProps<L>) {
  const current = choiceOf(leaf);
  const list = choices.includes(current) ? choices : [current, ...choices];
  return (
    <select
      className="tl-input tl-cond__operator"
      aria-label="Operator"
      value={current}
      onChange={(event) => onChange(applyChoice(leaf, event.target.value as OperatorChoice, type))}
    >
      {list.map((choice) => (
        <option key={choice} value={choice}>
          {labels?.[choice] ?? operatorLabels[choice]}
        </option>
      ))}
    </select>
  );
}

/** A text box whose typed text is kept while it reads back as the same value ("1." stays "1."). */
function TypedText({
  value,
  parse,
  format,
  onChange,
  ariaLabel,
  placeholder,
}: {
  value: unknown;
  parse: (text: string) => ConditionLeaf['value'];
  format: (value: unknown) => string;
  onChange: (value: ConditionLeaf['value']) => void;
  ariaLabel: string;
  placeholder?: string;
}) {
  const shown = format(value);
  const [draft, setDraft] = useState<{ text: string; basis: string } | null>(null);
  const text = draft && draft.basis === JSON.stringify(value) ? draft.text : shown;
  return (
    <input
      className="tl-input tl-cond__value"
      aria-label={ariaLabel}
      placeholder={placeholder}
      value={text}
      onChange={(event) => {
        const next = parse(event.target.value);
        setDraft({ text: event.target.value, basis: JSON.stringify(next) });
        onChange(next);
      }}
    />
  );
}

/** The compared value, drawn for the operator: nothing, a list, a duration, a date, a number, yes/no or text. */
export function ValueInput<L extends ConditionLeaf>({
  leaf,
  type,
  onChange,
}: {
  leaf: L;
  type: ValueType;
  onChange: (leaf: L) => void;
}) {
  const choice = choiceOf(leaf);
  const set = (value: ConditionLeaf['value']) => onChange({ ...leaf, value });
  if (choice === 'exists' || choice === 'notExists') return null;
  if (choice === 'in' || choice === 'notIn') {
    return (
      <TypedText
        ariaLabel="Values"
        placeholder="a, b, c"
        value={leaf.value}
        format={formatList}
        parse={(text) => parseList(text, type)}
        onChange={set}
      />
    );
  }
  if (choice === 'withinLast') {
    return <DurationControl ariaLabel="Value" value={leaf.value} onChange={(next) => set(next ?? '')} />;
  }
  if (choice === 'before' || choice === 'after') {
    const text = typeof leaf.value === 'string' ? leaf.value : '';
    // A date picker for plain dates; a full timestamp written by hand stays editable as text.
    const plainDate = text === '' || /^\d{4}-\d{2}-\d{2}$/.test(text);
    return (
      <input
        className="tl-input tl-cond__value"
        type={plainDate ? 'date' : 'text'}
        aria-label="Date"
        value={text}
        onChange={(event) => set(event.target.value)}
      />
    );
  }
  if (type === 'boolean') {
    return (
      <select
        className="tl-input tl-cond__value"
        aria-label="Value"
        value={leaf.value === false ? 'false' : 'true'}
        onChange={(event) => set(event.target.value === 'true')}
      >
        <option value="true">yes</option>
        <option value="false">no</option>
      </select>
    );
  }
  if (type === 'number') {
    return (
      <input
        className="tl-input tl-input--number tl-cond__value"
        type="number"
        step="any"
        aria-label="Value"
        value={typeof leaf.value === 'number' ? leaf.value : ''}
        onChange={(event) => set(event.target.value === '' ? '' : Number(event.target.value))}
      />
    );
  }
  return (
    <TypedText
      ariaLabel="Value"
      value={leaf.value}
      format={formatTypedValue}
      parse={(text) => parseTypedValue(text, type)}
      onChange={set}
    />
  );
}

/** A value type in words, as the Type select shows it. */
export const typeLabels: Readonly<Record<ValueType, string>> = {
  text: 'text',
  number: 'number',
  date: 'date',
  boolean: 'yes / no',
  list: 'list',
};

/** For free-form keys (a custom trait, an event property): what kind of value it holds. */
export function TypeSelect<L extends ConditionLeaf>({
  leaf,
  type,
  onChange,
}: {
  leaf: L;
  type: ValueType;
  onChange: (leaf: L, type: ValueType) => void;
}) {
  return (
    <select
      className="tl-input tl-input--inline tl-cond__type"
      aria-label="Type"
      value={type}
      onChange={(event) => {
        const next = event.target.value as ValueType;
        onChange(retype(leaf, next), next);
      }}
    >
      {(['text', 'number', 'date', 'boolean', 'list'] as const).map((option) => (
        <option key={option} value={option}>
          {typeLabels[option]}
        </option>
      ))}
    </select>
  );
}

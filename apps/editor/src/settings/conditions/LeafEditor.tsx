import type { ConditionLeaf } from '@touchline/journey';
import { useId, useState } from 'react';
import { type TraitKeySummary, type TraitKeys, useSegments, useTraitKeys } from '../data/lookups';
import { FieldErrors } from '../fields/FieldShell';
import { JsonField } from '../fields/JsonField';
import { useFormContext } from '../form-context';
import type { FieldError } from '../NodeSettingsForm';
import { SuggestingInput } from '../widgets/SuggestingInput';
import { BehaviourLeaf } from './BehaviourLeaf';
import { PropertyKeyControl, RowField } from './controls';
import { OperatorSelect, TypeSelect, typeLabels, ValueInput } from './ValueInput';
import { guessType, knownAttributes, retype, type ValueType } from './vocabulary';

export interface LeafEditorProps {
  readonly leaf: ConditionLeaf;
  /** The value type chosen on screen for a free-form key. */
  readonly type: ValueType | undefined;
  readonly onChange: (leaf: ConditionLeaf, type?: ValueType) => void;
  readonly onRemove: () => void;
  readonly errors: readonly FieldError[];
  /** The node's own event (trigger or awaited), whose property keys are suggested. */
  readonly eventName: string | null;
}

const isReference = (value: unknown) => value !== null && typeof value === 'object' && !Array.isArray(value);

/** One comparison, drawn by the fact it reads. */
export function LeafEditor(props: LeafEditorProps) {
  const { leaf, onRemove, errors } = props;
  const errorId = useId();
  let body: React.ReactNode;
  if (isReference(leaf.value)) {
    // A comparison with another fact (e.g. the trigger's cart id) is written by hand: edit its JSON.
    body = (
      <JsonField
        id={`${errorId}-json`}
        describedBy={undefined}
        invalid={errors.length > 0}
        value={leaf}
        onChange={(next) => {
          if (next && typeof next === 'object') props.onChange(next as ConditionLeaf);
        }}
      />
    );
  } else if (leaf.fact === 'event') body = <EventPropertyLeaf {...props} leaf={leaf} />;
  else if (leaf.fact === 'profile' || leaf.fact === 'inSegment') body = <AttributeLeaf {...props} />;
  else if (leaf.fact === 'eventCount' || leaf.fact === 'lastEvent') body = <BehaviourLeaf {...props} />;
  else body = <OtherFactLeaf {...props} />;
  return (
    <div className={`tl-cond__leaf${errors.length > 0 ? ' tl-field--invalid' : ''}`}>
      <div className="tl-cond__body">{body}</div>
      <button
        type="button"
        className="tl-icon-button"
        aria-label="Remove condition"
        title="Remove"
        onClick={onRemove}
      >
        ×
      </button>
      <FieldErrors id={errorId} errors={errors} />
    </div>
  );
}

/** `properties.total` ↔ `total`; a path outside `properties` shows whole. */
function splitPath(path: string | undefined, prefix: string): { prefix: string; key: string } {
  if (path === undefined || path === '') return { prefix, key: '' };
  return path.startsWith(prefix) ? { prefix, key: path.slice(prefix.length) } : { prefix: '', key: path };
}

function EventPropertyLeaf({ leaf, type, onChange, eventName }: LeafEditorProps) {
  const id = useId();
  const { prefix, key } = splitPath(leaf.path, 'properties.');
  const valueType = type ?? guessType(leaf);
  const change = (next: ConditionLeaf) => onChange(next, valueType);
  return (
    <>
      <RowField label={eventName ? `Property of ${eventName}` : 'Event property'} htmlFor={id}>
        <span className="tl-cond__line">
          <PropertyKeyControl
            id={id}
            eventName={eventName}
            value={key}
            onChange={(next) => change({ ...leaf, path: `${prefix}${next}` })}
          />
          <TypeSelect leaf={leaf} type={valueType} onChange={onChange} />
        </span>
      </RowField>
      <span className="tl-cond__line">
        <OperatorSelect leaf={leaf} type={valueType} onChange={change} />
        <ValueInput leaf={leaf} type={valueType} onChange={change} />
      </span>
    </>
  );
}

const SEGMENT = '@segment';
const TRAIT = '@trait';

/** A fresh comparison for an attribute, with the operator people most often want for its type. */
export function attributeLeaf(path: string, type: ValueType): ConditionLeaf {
  switch (type) {
    case 'number':
      return { fact: 'profile', path, operator: 'greaterThanInclusive', value: 1 };
    case 'date':
      return { fact: 'profile', path, operator: 'withinLast', value: 'P30D' };
    case 'list':
      return { fact: 'profile', path, operator: 'contains', value: '' };
    case 'boolean':
      return { fact: 'profile', path, operator: 'equal', value: true };
    default:
      return { fact: 'profile', path, operator: 'equal', value: '' };
  }
}

function AttributeLeaf({ leaf, type, onChange }: LeafEditorProps) {
  const id = useId();
  const known =
    leaf.fact === 'profile' ? knownAttributes.find((attribute) => attribute.path === leaf.path) : undefined;
  const subject = leaf.fact === 'inSegment' ? SEGMENT : known ? known.path : TRAIT;
  const valueType = known?.type ?? type ?? guessType(leaf);
  const change = (next: ConditionLeaf) => onChange(next, known ? undefined : valueType);
  return (
    <>
      <RowField label="Attribute" htmlFor={id}>
        <select
          id={id}
          className="tl-input"
          value={subject}
          onChange={(event) => {
            const choice = event.target.value;
            if (choice === SEGMENT)
              onChange({ fact: 'inSegment', params: { segmentId: '' }, operator: 'equal', value: true });
            else if (choice === TRAIT)
              onChange({ fact: 'profile', path: 'traits.', operator: 'equal', value: '' }, 'text');
            else {
              const attribute = knownAttributes.find((entry) => entry.path === choice);
              if (attribute) onChange(attributeLeaf(attribute.path, attribute.type));
            }
          }}
        >
          <optgroup label="Profile">
            {knownAttributes.map((attribute) => (
              <option key={attribute.path} value={attribute.path}>
                {attribute.label}
              </option>
            ))}
          </optgroup>
          <optgroup label="More">
            <option value={TRAIT}>Custom trait…</option>
            <option value={SEGMENT}>In segment…</option>
          </optgroup>
        </select>
      </RowField>
      {leaf.fact === 'inSegment' ? (
        <SegmentLine leaf={leaf} onChange={onChange} />
      ) : (
        <>
          {subject === TRAIT ? (
            <TraitLine leaf={leaf} type={valueType} onChange={onChange} change={change} />
          ) : null}
          <span className="tl-cond__line">
            <OperatorSelect leaf={leaf} type={valueType} onChange={change} />
            <ValueInput leaf={leaf} type={valueType} onChange={change} />
          </span>
        </>
      )}
    </>
  );
}

/** The editor's value type for a trait's JSON type; an object has none to compare. */
const traitValueTypes: Readonly<Record<TraitKeySummary['type'], ValueType | undefined>> = {
  string: 'text',
  number: 'number',
  boolean: 'boolean',
  array: 'list',
  object: undefined,
};

const count = (n: number) => n.toLocaleString('en');

/** "number · 840 of 1,000 sampled profiles": its type and how many profiles have it. */
function traitLabel(trait: TraitKeySummary, keys: TraitKeys): string {
  const type = traitValueTypes[trait.type];
  const of = keys.complete ? `${count(keys.sampled)} profiles` : `${count(keys.sampled)} sampled profiles`;
  return `${type ? typeLabels[type] : trait.type} · ${count(trait.count)} of ${of}`;
}

/** Whether a row still compares what `retype` gives for its type: no operator or value chosen. */
function isFresh(leaf: ConditionLeaf, type: ValueType): boolean {
  const fresh = retype(leaf, type);
  return leaf.operator === fresh.operator && leaf.value === fresh.value;
}

/**
 * A custom trait's key, with the keys seen on the workspace's profiles as suggestions. Typing a
 * suggested key into a row that is still the default (text, nothing compared yet) sets the value
 * type from the type its profiles hold; while nobody touches the row after that, the type keeps
 * following the key (back to text for a key no profile has).
 */
function TraitLine({
  leaf,
  type,
  onChange,
  change,
}: {
  leaf: ConditionLeaf;
  type: ValueType;
  onChange: LeafEditorProps['onChange'];
  change: (leaf: ConditionLeaf) => void;
}) {
  const id = useId();
  const noteId = useId();
  const { lookups } = useFormContext();
  const keys = useTraitKeys(lookups);
  /** The type this line set from a suggested key, until the row is retyped by hand. */
  const [typedFromKey, setTypedFromKey] = useState<ValueType | null>(null);
  const { prefix, key } = splitPath(leaf.path, 'traits.');
  const traits = keys.data?.traits ?? [];
  const setKey = (text: string) => {
    const next = { ...leaf, path: `${prefix}${text}` };
    const suggested = traits.find((trait) => trait.key === text);
    const seen = suggested ? traitValueTypes[suggested.type] : undefined;
    const target = seen ?? (typedFromKey !== null && type === typedFromKey ? 'text' : undefined);
    const untouched = (type === 'text' || type === typedFromKey) && isFresh(leaf, type);
    if (untouched && target !== undefined && target !== type) {
      setTypedFromKey(target === 'text' ? null : target);
      onChange(retype(next, target), target);
    } else change(next);
  };
  // As for event names: a key no profile has is often a typo.
  const unseen = key !== '' && traits.length > 0 && !traits.some((trait) => trait.key === key);
  return (
    <RowField label="Trait" htmlFor={id}>
      <span className="tl-cond__line">
        <SuggestingInput
          id={id}
          placeholder={`e.g. ${traits[0]?.key ?? 'plan'}`}
          aria-describedby={unseen ? noteId : undefined}
          value={key}
          onChange={(event) => setKey(event.target.value)}
          suggestions={
            keys.data
              ? traits.map((trait) => ({ value: trait.key, label: traitLabel(trait, keys.data) }))
              : []
          }
        />
        <TypeSelect
          leaf={leaf}
          type={type}
          onChange={(next, nextType) => {
            setTypedFromKey(null);
            onChange(next, nextType);
          }}
        />
      </span>
      {unseen ? (
        <p className="tl-field__note" id={noteId}>
          {keys.data?.complete
            ? 'No profile has this trait yet; check the spelling.'
            : `None of the ${count(keys.data?.sampled ?? 0)} profiles sampled has this trait; check the spelling.`}
        </p>
      ) : null}
    </RowField>
  );
}

function SegmentLine({
  leaf,
  onChange,
}: {
  leaf: Extract<ConditionLeaf, { fact: 'inSegment' }>;
  onChange: (leaf: ConditionLeaf) => void;
}) {
  const { lookups } = useFormContext();
  const segments = useSegments(lookups);
  const id = useId();
  const inside = leaf.value !== false;
  return (
    <span className="tl-cond__line">
      <select
        className="tl-input tl-cond__operator"
        aria-label="Operator"
        value={inside ? 'in' : 'out'}
        onChange={(event) => onChange({ ...leaf, operator: 'equal', value: event.target.value === 'in' })}
      >
        <option value="in">is in</option>
        <option value="out">is not in</option>
      </select>
      <label className="tl-visually-hidden" htmlFor={id}>
        Segment
      </label>
      <select
        id={id}
        className="tl-input"
        value={leaf.params.segmentId}
        onChange={(event) => onChange({ ...leaf, params: { segmentId: event.target.value } })}
      >
        <option value="">{segments.isPending ? 'Loading…' : 'Choose a segment…'}</option>
        {leaf.params.segmentId !== '' &&
        !segments.data?.some((segment) => segment.id === leaf.params.segmentId) ? (
          <option value={leaf.params.segmentId}>{leaf.params.segmentId}</option>
        ) : null}
        {(segments.data ?? []).map((segment) => (
          <option key={segment.id} value={segment.id}>
            {segment.name}
          </option>
        ))}
      </select>
    </span>
  );
}

/** `journey` and `bucket` facts: a path and a comparison, for journeys written by engineers. */
function OtherFactLeaf({ leaf, type, onChange }: LeafEditorProps) {
  const id = useId();
  const valueType = type ?? guessType(leaf);
  const change = (next: ConditionLeaf) => onChange(next, valueType);
  return (
    <>
      <RowField label={`${leaf.fact} path`} htmlFor={id}>
        <input
          id={id}
          className="tl-input"
          value={leaf.path ?? ''}
          onChange={(event) =>
            change(
              event.target.value === ''
                ? { ...leaf, path: undefined }
                : { ...leaf, path: event.target.value },
            )
          }
        />
      </RowField>
      <span className="tl-cond__line">
        <OperatorSelect leaf={leaf} type={valueType} onChange={change} />
        <ValueInput leaf={leaf} type={valueType} onChange={change} />
      </span>
    </>
  );
}

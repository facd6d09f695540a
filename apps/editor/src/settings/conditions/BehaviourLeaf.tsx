import type { ConditionLeaf } from '@touchline/journey';
import { useId } from 'react';
import { DurationControl } from '../widgets/DurationInput';
import { EventNameControl, PropertyKeyControl, RowField } from './controls';
import type { LeafEditorProps } from './LeafEditor';
import { OperatorSelect, TypeSelect, ValueInput } from './ValueInput';
import {
  countOperatorLabels,
  countOperators,
  formatTypedValue,
  guessType,
  parseTypedValue,
} from './vocabulary';

type CountLeaf = Extract<ConditionLeaf, { fact: 'eventCount' }>;
type LastLeaf = Extract<ConditionLeaf, { fact: 'lastEvent' }>;

/** A fresh "did X at least once in the last 30 days". */
export function behaviourLeaf(name = ''): CountLeaf {
  return {
    fact: 'eventCount',
    params: { name, within: 'P30D' },
    operator: 'greaterThanInclusive',
    value: 1,
  };
}

/** Event history: how often they did something (in a window, with a property filter), or when last. */
export function BehaviourLeaf(props: LeafEditorProps) {
  const { leaf, onChange } = props;
  const kindId = useId();
  const eventId = useId();
  if (leaf.fact !== 'eventCount' && leaf.fact !== 'lastEvent') return null;
  const name = leaf.params.name;
  return (
    <>
      <span className="tl-cond__line">
        <RowField label="Behaviour" htmlFor={kindId}>
          <select
            id={kindId}
            className="tl-input"
            value={leaf.fact}
            onChange={(event) =>
              onChange(
                event.target.value === 'lastEvent'
                  ? {
                      fact: 'lastEvent',
                      params: { name },
                      path: 'timestamp',
                      operator: 'withinLast',
                      value: 'P30D',
                    }
                  : behaviourLeaf(name),
              )
            }
          >
            <option value="eventCount">Did event</option>
            <option value="lastEvent">Last time of event</option>
          </select>
        </RowField>
        <RowField label="Event name" htmlFor={eventId}>
          <EventNameControl
            id={eventId}
            value={name}
            onChange={(next) =>
              onChange({ ...leaf, params: { ...leaf.params, name: next } } as ConditionLeaf)
            }
          />
        </RowField>
      </span>
      {leaf.fact === 'eventCount' ? (
        <CountLines {...props} leaf={leaf} />
      ) : (
        <LastLines {...props} leaf={leaf} />
      )}
    </>
  );
}

function CountLines({ leaf, onChange }: LeafEditorProps & { leaf: CountLeaf }) {
  const withinId = useId();
  const setParams = (params: CountLeaf['params']) => onChange({ ...leaf, params });
  const where = Object.entries(leaf.params.where ?? {});
  const setWhere = (entries: [string, string | number | boolean | null][]) => {
    const { where: _, ...rest } = leaf.params;
    setParams(entries.length === 0 ? rest : { ...rest, where: Object.fromEntries(entries) });
  };
  return (
    <>
      <span className="tl-cond__line">
        <OperatorSelect
          leaf={leaf}
          type="number"
          choices={countOperators}
          labels={countOperatorLabels}
          onChange={(next) => onChange(next)}
        />
        <input
          className="tl-input tl-input--number tl-cond__value"
          type="number"
          min={0}
          step={1}
          aria-label="Times"
          value={typeof leaf.value === 'number' ? leaf.value : ''}
          onChange={(event) =>
            onChange({ ...leaf, value: event.target.value === '' ? '' : Number(event.target.value) })
          }
        />
        <span className="tl-cond__word">times</span>
      </span>
      <RowField label="Within the last" htmlFor={withinId}>
        <DurationControl
          id={withinId}
          placeholder="ever"
          value={leaf.params.within}
          onChange={(within) => {
            const { within: _, ...rest } = leaf.params;
            setParams(within === undefined ? rest : { ...rest, within });
          }}
        />
      </RowField>
      {where.map(([path, value], index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a renamed filter must keep its row
        <span className="tl-cond__line tl-cond__filter" key={index}>
          <span className="tl-cond__word">where</span>
          <PropertyKeyControl
            ariaLabel="Filter property"
            eventName={leaf.params.name}
            value={path.replace(/^properties\./, '')}
            onChange={(key) =>
              setWhere(where.map((entry, at) => (at === index ? [`properties.${key}`, entry[1]] : entry)))
            }
          />
          <span className="tl-cond__word">is</span>
          <input
            className="tl-input tl-cond__value"
            aria-label="Filter value"
            value={formatTypedValue(value)}
            onChange={(event) =>
              setWhere(
                where.map((entry, at) =>
                  at === index ? [entry[0], parseTypedValue(event.target.value, 'text')] : entry,
                ),
              )
            }
          />
          <button
            type="button"
            className="tl-icon-button"
            aria-label="Remove filter"
            title="Remove filter"
            onClick={() => setWhere(where.filter((_, at) => at !== index))}
          >
            ×
          </button>
        </span>
      ))}
      <button
        type="button"
        className="tl-link-button tl-cond__add-filter"
        onClick={() => setWhere([...where, [`properties.${newFilterKey(where)}`, '']])}
      >
        Add property filter
      </button>
    </>
  );
}

function newFilterKey(where: readonly [string, unknown][]): string {
  let n = where.length + 1;
  while (where.some(([path]) => path === `properties.property_${n}`)) n += 1;
  return `property_${n}`;
}

const TIMESTAMP = 'timestamp';

function LastLines({ leaf, type, onChange }: LeafEditorProps & { leaf: LastLeaf }) {
  const whatId = useId();
  const onTimestamp = leaf.path === TIMESTAMP || leaf.path === undefined;
  const valueType = onTimestamp ? 'date' : (type ?? guessType(leaf));
  const change = (next: ConditionLeaf) => onChange(next, onTimestamp ? undefined : valueType);
  return (
    <>
      <RowField label="Its" htmlFor={whatId}>
        <span className="tl-cond__line">
          <select
            id={whatId}
            className="tl-input"
            value={onTimestamp ? TIMESTAMP : 'property'}
            onChange={(event) =>
              onChange(
                event.target.value === TIMESTAMP
                  ? { ...leaf, path: TIMESTAMP, operator: 'withinLast', value: 'P30D' }
                  : { ...leaf, path: 'properties.', operator: 'equal', value: '' },
                'text',
              )
            }
          >
            <option value={TIMESTAMP}>time</option>
            <option value="property">property…</option>
          </select>
          {onTimestamp ? null : (
            <>
              <PropertyKeyControl
                ariaLabel="Property"
                eventName={leaf.params.name}
                value={(leaf.path ?? '').replace(/^properties\./, '')}
                onChange={(key) => change({ ...leaf, path: `properties.${key}` })}
              />
              <TypeSelect leaf={leaf} type={valueType} onChange={onChange} />
            </>
          )}
        </span>
      </RowField>
      <span className="tl-cond__line">
        <OperatorSelect leaf={leaf} type={valueType} onChange={change} />
        <ValueInput leaf={leaf} type={valueType} onChange={change} />
      </span>
    </>
  );
}

import type { Condition } from '@touchline/journey';
import { useState } from 'react';
import { GroupEditor } from '../conditions/GroupEditor';
import {
  type BuilderModel,
  parseConditions,
  type SectionName,
  serializeConditions,
} from '../conditions/model';
import { FieldShell, GroupShell } from '../fields/FieldShell';
import { JsonField } from '../fields/JsonField';
import type { WidgetProps } from '../fields/SchemaField';
import { useFormContext } from '../form-context';
import { errorsUnder, normaliseErrorPath, pathKey } from '../schema/paths';

const sectionTitles: Readonly<Record<SectionName, string>> = {
  event: 'Event properties',
  attributes: 'Attributes',
  behaviour: 'Behaviour',
};

/** Whether a value is shaped like a condition tree, so the builder can show it (not a validator). */
export function isConditionShape(value: unknown, depth = 0): value is Condition {
  if (depth > 32 || value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const node = value as Record<string, unknown>;
  if ('all' in node || 'any' in node) {
    const list = node.all ?? node.any;
    return (
      Object.keys(node).length === 1 &&
      Array.isArray(list) &&
      list.every((c) => isConditionShape(c, depth + 1))
    );
  }
  if ('not' in node) return Object.keys(node).length === 1 && isConditionShape(node.not, depth + 1);
  return typeof node.fact === 'string' && typeof node.operator === 'string' && 'value' in node;
}

/**
 * The condition builder: "Attributes" (who they are), "Behaviour" (what they did) and, for a node
 * with its own event, "Event properties", each matching all / any of its rows, optionally negated.
 */
export function ConditionsField({ label, model, path, value, onChange, required }: WidgetProps) {
  const { errors, config, root, triggerEvent } = useFormContext();
  const basePath = pathKey(path);
  const basis = JSON.stringify(value ?? null);
  const usable = value === undefined || isConditionShape(value);
  const [state, setState] = useState<{ basis: string; model: BuilderModel }>(() => ({
    basis,
    model: parseConditions(usable ? (value as Condition | undefined) : undefined),
  }));
  let builder = state.model;
  if (state.basis !== basis && usable) {
    // The value changed outside the builder (undo, another panel): read it afresh.
    builder = parseConditions(value as Condition | undefined);
    setState({ basis, model: builder });
  }
  const scoped = errorsUnder(errors, path);

  if (!usable) {
    return (
      <FieldShell label={label} description={model.description} optional={!required} errors={scoped}>
        {(input) => <JsonField {...input} value={value} onChange={onChange} allowEmpty={!required} />}
      </FieldShell>
    );
  }

  const { paths } = serializeConditions(builder);
  const update = (next: BuilderModel) => {
    const written = serializeConditions(next).condition;
    setState({ basis: JSON.stringify(written ?? null), model: next });
    onChange(written);
  };
  const claimed = new Set(paths.values());
  const unclaimed = scoped.filter((error) => {
    const at = normaliseErrorPath(error.path).slice(basePath.length + 1);
    return ![...claimed].some((leafPath) => at === leafPath || at.startsWith(`${leafPath}.`));
  });
  // The `event` fact is the node's own event (a trigger's, an awaited one) where it has one, else
  // the event that brought the person here: the trigger's, as far as the form can know.
  const hasOwnEvent =
    root.properties !== undefined &&
    typeof root.properties === 'object' &&
    'event' in root.properties &&
    path.length === 1;
  const eventName = hasOwnEvent ? eventOf(config) : triggerEvent;

  return (
    <GroupShell
      label={label}
      description={model.description}
      optional={!required}
      errors={unclaimed}
      className="tl-cond"
    >
      {builder.layout === 'tree' ? (
        <GroupEditor
          group={builder.tree}
          onChange={(tree) => update({ layout: 'tree', tree })}
          adds={['event', 'attributes', 'behaviour']}
          eventName={eventName}
          paths={paths}
          basePath={basePath}
          errors={scoped}
        />
      ) : (
        (['event', 'attributes', 'behaviour'] as const).map((name) => {
          const sections = builder.layout === 'sections' ? builder.sections : null;
          if (!sections) return null;
          return (
            <section key={name} className="tl-cond__section" aria-label={sectionTitles[name]}>
              <GroupEditor
                title={
                  name === 'event' && hasOwnEvent && eventName
                    ? `${eventName} properties`
                    : sectionTitles[name]
                }
                group={sections[name]}
                onChange={(group) => update({ layout: 'sections', sections: { ...sections, [name]: group } })}
                adds={[name]}
                eventName={eventName}
                paths={paths}
                basePath={basePath}
                errors={scoped}
              />
            </section>
          );
        })
      )}
    </GroupShell>
  );
}

function eventOf(config: unknown): string | null {
  if (config === null || typeof config !== 'object') return null;
  const event = (config as Record<string, unknown>).event;
  return typeof event === 'string' && event !== '' ? event : null;
}

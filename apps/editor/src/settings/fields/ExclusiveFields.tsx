import { useId } from 'react';
import { useFormContext } from '../form-context';
import { type ExclusiveGroup, fieldModel, type PropertyModel } from '../schema/json-schema';
import type { Path } from '../schema/paths';
import { initialValue } from '../schema/values';
import { SchemaField } from './SchemaField';

/** One picker for "exactly one of these" properties, and the chosen one's field. */
export function ExclusiveFields({
  group,
  properties,
  object,
  path,
  onChange,
}: {
  group: ExclusiveGroup;
  properties: readonly PropertyModel[];
  object: Readonly<Record<string, unknown>>;
  path: Path;
  onChange: (next: Record<string, unknown>) => void;
}) {
  const { root } = useFormContext();
  const id = useId();
  const members = group.fields
    .map((name) => properties.find((property) => property.name === name))
    .filter((property): property is PropertyModel => property !== undefined);
  const chosen = members.find((property) => object[property.name] !== undefined);
  const choose = (name: string) => {
    const next: Record<string, unknown> = { ...object };
    for (const member of members) delete next[member.name];
    const property = members.find((member) => member.name === name);
    if (property) next[name] = initialValue(property.schema, root);
    onChange(next);
  };
  return (
    <div className="tl-exclusive">
      <div className="tl-field">
        <div className="tl-field__head">
          <label className="tl-field__label" htmlFor={id}>
            {group.label}
          </label>
        </div>
        <select
          id={id}
          className="tl-input"
          value={chosen?.name ?? ''}
          onChange={(event) => choose(event.target.value)}
        >
          {chosen ? null : <option value="">Choose…</option>}
          {members.map((member) => (
            <option key={member.name} value={member.name}>
              {fieldModel(member.schema, root, member.name).label}
            </option>
          ))}
        </select>
      </div>
      {chosen ? (
        <SchemaField
          schema={chosen.schema}
          name={chosen.name}
          path={[...path, chosen.name]}
          value={object[chosen.name]}
          // Chosen, it is no longer optional: emptied, it stays chosen for the validator to name.
          required
          onChange={(next) => onChange({ ...object, [chosen.name]: next ?? '' })}
        />
      ) : null}
    </div>
  );
}

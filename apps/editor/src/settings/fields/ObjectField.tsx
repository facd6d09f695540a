import { useFormContext } from '../form-context';
import { exclusiveGroups, type FieldModel } from '../schema/json-schema';
import { errorsAt, normaliseErrorPath, type Path, pathKey, withKey } from '../schema/paths';
import { initialValue } from '../schema/values';
import { ExclusiveFields } from './ExclusiveFields';
import { GroupShell } from './FieldShell';
import { SchemaField, type SchemaFieldProps } from './SchemaField';

const asObject = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};

/** Errors on the object itself, and on keys it has no field for (they would show nowhere else). */
function ownErrors<E extends { path?: string }>(
  errors: readonly E[],
  path: Path,
  known: readonly string[],
): E[] {
  const prefix = path.length === 0 ? '' : `${pathKey(path)}.`;
  const strays = errors.filter((error) => {
    const at = normaliseErrorPath(error.path);
    if (!at.startsWith(prefix) || at === pathKey(path)) return false;
    const child = at.slice(prefix.length).split('.')[0] ?? '';
    return !known.includes(child);
  });
  return path.length === 0
    ? [...errors.filter((error) => normaliseErrorPath(error.path) === ''), ...strays]
    : [...errorsAt(errors, path), ...strays];
}

/** An object as a fieldset of its properties; the form's root object has no legend. */
export function ObjectField(props: SchemaFieldProps & { model: FieldModel; label: string }) {
  const { root, errors } = useFormContext();
  const { model, path, value, onChange, required, label, actions } = props;
  if (model.field.kind !== 'object') return null;
  const properties = model.field.properties;
  const object = asObject(value);
  const problems = ownErrors(
    errors,
    path,
    properties.map((property) => property.name),
  );
  const groups = exclusiveGroups(model.schema);
  const fields = properties.map((property) => {
    const group = groups.find((candidate) => candidate.fields.includes(property.name));
    if (group) {
      // The group is drawn once, where its first member would be.
      if (group.fields.find((name) => properties.some((p) => p.name === name)) !== property.name) return null;
      return (
        <ExclusiveFields
          key={property.name}
          group={group}
          properties={properties}
          object={object}
          path={path}
          onChange={onChange}
        />
      );
    }
    return (
      <SchemaField
        key={property.name}
        schema={property.schema}
        name={property.name}
        path={[...path, property.name]}
        value={object[property.name]}
        required={property.required}
        onChange={(next) => onChange(withKey(object, property.name, next))}
      />
    );
  });

  if (path.length === 0) {
    return (
      <GroupShell label="" errors={problems} className="tl-group--root">
        {fields.length > 0 ? fields : <p className="tl-empty">This step has no settings.</p>}
      </GroupShell>
    );
  }
  if (value === undefined && !required) {
    return (
      <div className="tl-field tl-field--absent">
        <span className="tl-field__label">{label}</span>
        <span className="tl-field__optional">optional</span>
        <button
          type="button"
          className="tl-link-button"
          onClick={() => onChange(initialValue(model.schema, root))}
        >
          Add
        </button>
      </div>
    );
  }
  return (
    <GroupShell
      label={label}
      description={model.description}
      optional={!required}
      errors={problems}
      actions={
        <>
          {actions}
          {!required ? (
            <button type="button" className="tl-link-button" onClick={() => onChange(undefined)}>
              Clear
            </button>
          ) : null}
        </>
      }
    >
      {fields}
    </GroupShell>
  );
}

import { useFormContext } from '../form-context';
import { type FieldModel, itemNoun } from '../schema/json-schema';
import { errorsAt } from '../schema/paths';
import { initialValue } from '../schema/values';
import { GroupShell } from './FieldShell';
import { SchemaField, type SchemaFieldProps } from './SchemaField';

/** A map of names to values (`set: { plan: "pro" }`): one row per entry, the name editable. */
export function RecordField(props: SchemaFieldProps & { model: FieldModel; label: string }) {
  const { root, errors } = useFormContext();
  const { model, path, value, onChange, required, label, actions } = props;
  if (model.field.kind !== 'record') return null;
  const values = model.field.values;
  const object =
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  const entries = Object.entries(object);
  const emit = (next: [string, unknown][]) =>
    onChange(next.length === 0 && !required ? undefined : Object.fromEntries(next));
  const freshName = () => {
    let n = entries.length + 1;
    while (`name_${n}` in object) n += 1;
    return `name_${n}`;
  };

  return (
    <GroupShell
      label={label}
      description={model.description}
      optional={!required}
      errors={errorsAt(errors, path)}
      actions={actions}
      className="tl-group--list"
    >
      {entries.length === 0 ? <p className="tl-empty">None yet.</p> : null}
      {entries.map(([key, entryValue], index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: renaming a key must not remount its row
        <div className="tl-record-row" key={index}>
          <label className="tl-field__label" htmlFor={`${path.join('-')}-key-${index}`}>
            Name
          </label>
          <input
            id={`${path.join('-')}-key-${index}`}
            className="tl-input"
            value={key}
            onChange={(event) =>
              emit(entries.map((entry, at) => (at === index ? [event.target.value, entry[1]] : entry)))
            }
          />
          <SchemaField
            schema={values}
            label="Value"
            path={[...path, key]}
            value={entryValue}
            required
            onChange={(next) => emit(entries.map((entry, at) => (at === index ? [entry[0], next] : entry)))}
            actions={
              <button
                type="button"
                className="tl-icon-button"
                aria-label="Remove"
                title="Remove"
                onClick={() => emit(entries.filter((_, at) => at !== index))}
              >
                ×
              </button>
            }
          />
        </div>
      ))}
      <button
        type="button"
        className="tl-add-button"
        onClick={() => emit([...entries, [freshName(), initialValue(values, root)]])}
      >
        Add {itemNoun(label).toLowerCase()}
      </button>
    </GroupShell>
  );
}

import { useFormContext } from '../form-context';
import { type FieldModel, itemNoun } from '../schema/json-schema';
import { errorsAt, moveItem, withItem } from '../schema/paths';
import { initialValue } from '../schema/values';
import { GroupShell } from './FieldShell';
import { SchemaField, type SchemaFieldProps } from './SchemaField';

/** A list with add, remove and reorder; an optional list emptied is removed from the config. */
export function ArrayField(props: SchemaFieldProps & { model: FieldModel; label: string }) {
  const { root, errors } = useFormContext();
  const { model, path, value, onChange, required, label, actions } = props;
  if (model.field.kind !== 'array') return null;
  const { items, minItems, maxItems } = model.field;
  const list = Array.isArray(value) ? (value as unknown[]) : [];
  const noun = itemNoun(label);
  const emit = (next: unknown[]) => onChange(next.length === 0 && !required ? undefined : next);

  return (
    <GroupShell
      label={label}
      description={model.description}
      optional={!required}
      errors={errorsAt(errors, path)}
      actions={actions}
      className="tl-group--list"
    >
      {list.length === 0 ? <p className="tl-empty">None yet.</p> : null}
      {list.map((item, index) => (
        <SchemaField
          // Items have no id of their own; index keys keep inputs stable while typing.
          // biome-ignore lint/suspicious/noArrayIndexKey: see above
          key={index}
          schema={items}
          label={`${noun} ${index + 1}`}
          path={[...path, index]}
          value={item}
          required
          onChange={(next) => emit(withItem(list, index, next))}
          actions={
            <span className="tl-item-actions">
              <button
                type="button"
                className="tl-icon-button"
                aria-label="Move up"
                title="Move up"
                disabled={index === 0}
                onClick={() => emit(moveItem(list, index, index - 1))}
              >
                ↑
              </button>
              <button
                type="button"
                className="tl-icon-button"
                aria-label="Move down"
                title="Move down"
                disabled={index === list.length - 1}
                onClick={() => emit(moveItem(list, index, index + 1))}
              >
                ↓
              </button>
              <button
                type="button"
                className="tl-icon-button"
                aria-label="Remove"
                title="Remove"
                disabled={list.length <= minItems}
                onClick={() => emit(list.filter((_, at) => at !== index))}
              >
                ×
              </button>
            </span>
          }
        />
      ))}
      <button
        type="button"
        className="tl-add-button"
        disabled={maxItems !== null && list.length >= maxItems}
        onClick={() => emit([...list, initialValue(items, root)])}
      >
        Add {noun.toLowerCase()}
      </button>
    </GroupShell>
  );
}

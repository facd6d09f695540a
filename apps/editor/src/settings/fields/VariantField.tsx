import { useFormContext } from '../form-context';
import type { FieldModel } from '../schema/json-schema';
import { initialValue, variantIndexOf } from '../schema/values';
import { SchemaField, type SchemaFieldProps } from './SchemaField';

/** anyOf / oneOf: a "Type" picker beside the label, and the chosen variant's field. */
export function VariantField(props: SchemaFieldProps & { model: FieldModel; label: string }) {
  const { root } = useFormContext();
  const { model, value, onChange, required, label, actions, name, path } = props;
  if (model.field.kind !== 'variant') return null;
  const { options } = model.field;
  const absent = value === undefined;
  const index = variantIndexOf(value, options, root);
  const picker = (
    <select
      className="tl-input tl-input--inline"
      aria-label="Type"
      value={absent ? '' : String(index)}
      onChange={(event) => {
        const chosen = options[Number(event.target.value)];
        onChange(event.target.value === '' || !chosen ? undefined : initialValue(chosen.schema, root));
      }}
    >
      {absent || !required ? <option value="">{required ? 'Choose…' : 'Not set'}</option> : null}
      {options.map((option, at) => (
        <option key={option.label} value={at}>
          {option.label}
        </option>
      ))}
    </select>
  );
  if (absent) {
    return (
      <div className="tl-field tl-field--absent">
        <span className="tl-field__label">{label}</span>
        {!required ? <span className="tl-field__optional">optional</span> : null}
        {picker}
        {actions}
      </div>
    );
  }
  const chosen = options[index]!;
  return (
    <SchemaField
      schema={{
        ...chosen.schema,
        title: label,
        ...(model.description ? { description: model.description } : {}),
      }}
      {...(name === undefined ? {} : { name })}
      label={label}
      path={path}
      value={value}
      onChange={onChange}
      // Chosen, the variant's own input never removes the field; "Not set" in the picker does.
      required
      actions={
        <>
          {picker}
          {actions}
        </>
      }
    />
  );
}

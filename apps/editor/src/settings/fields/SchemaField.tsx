import type { ComponentType } from 'react';
import { useFormContext } from '../form-context';
import { type FieldModel, fieldModel, type Schema, type WidgetName } from '../schema/json-schema';
import { errorsAt, type Path } from '../schema/paths';
import { fieldWidgets, groupWidgets } from '../widgets/registry';
import { ArrayField } from './ArrayField';
import { FieldShell, type InputProps } from './FieldShell';
import { JsonField } from './JsonField';
import { ObjectField } from './ObjectField';
import { RecordField } from './RecordField';
import { BooleanInput, ConstInput, EnumInput, NumberInput, StringInput } from './scalar-inputs';
import { VariantField } from './VariantField';

export interface SchemaFieldProps {
  readonly schema: Schema;
  /** The property name: the label when the schema has no title, and a widget hint. */
  readonly name?: string;
  /** Overrides the label (list items: "Branch 2"). */
  readonly label?: string;
  readonly path: Path;
  readonly value: unknown;
  /** `undefined` removes an optional field from its object. */
  readonly onChange: (next: unknown) => void;
  readonly required: boolean;
  /** Controls shown beside the label (a list item's move and remove buttons). */
  readonly actions?: React.ReactNode;
}

/** Props every widget receives; `input` is set for widgets drawn inside a labelled field. */
export interface WidgetProps extends Omit<SchemaFieldProps, 'schema' | 'label'> {
  readonly model: FieldModel;
  readonly label: string;
  readonly input: InputProps;
}

export type WidgetComponent = ComponentType<WidgetProps>;

/** One config value, drawn as its schema (and hints) say. */
export function SchemaField(props: SchemaFieldProps) {
  const { root, errors } = useFormContext();
  const model = fieldModel(props.schema, root, props.name);
  const label = props.label ?? (model.label || 'Value');
  const own = errorsAt(errors, props.path);
  const { field } = model;
  const optional = !props.required;
  // An absent field shows its default as chosen; the config gets it with the next change.
  const value = props.value === undefined ? model.schema.default : props.value;

  if (field.kind === 'object') return <ObjectField {...props} model={model} label={label} />;
  if (field.kind === 'array') return <ArrayField {...props} model={model} label={label} />;
  if (field.kind === 'variant') return <VariantField {...props} model={model} label={label} />;
  if (field.kind === 'record') return <RecordField {...props} model={model} label={label} />;
  if (field.kind === 'widget' && field.widget in groupWidgets) {
    const Group = groupWidgets[field.widget as keyof typeof groupWidgets];
    return <Group {...props} model={model} label={label} input={noInput} />;
  }
  if (field.kind === 'null') return null;

  return (
    <FieldShell
      label={label}
      description={model.description}
      // A field with a default always has a value, so "optional" would only confuse.
      optional={optional && field.kind !== 'const' && model.schema.default === undefined}
      errors={own}
      actions={props.actions}
      layout={field.kind === 'boolean' ? 'check' : 'stack'}
    >
      {(input) => {
        switch (field.kind) {
          case 'widget': {
            const Widget = fieldWidgets[field.widget as Exclude<WidgetName, keyof typeof groupWidgets>];
            return <Widget {...props} value={value} model={model} label={label} input={input} />;
          }
          case 'string':
            return (
              <StringInput
                {...input}
                field={field}
                schema={model.schema}
                value={value}
                onChange={props.onChange}
                required={props.required}
              />
            );
          case 'number':
            return <NumberInput {...input} field={field} value={value} onChange={props.onChange} />;
          case 'boolean':
            return <BooleanInput {...input} value={value} onChange={props.onChange} />;
          case 'enum':
            return (
              <EnumInput
                {...input}
                options={field.options}
                value={value}
                onChange={props.onChange}
                required={props.required}
              />
            );
          case 'const':
            return <ConstInput {...input} value={field.value} />;
          default:
            return (
              <JsonField {...input} value={value} onChange={props.onChange} allowEmpty={!props.required} />
            );
        }
      }}
    </FieldShell>
  );
}

const noInput: InputProps = { id: '', describedBy: undefined, invalid: false };

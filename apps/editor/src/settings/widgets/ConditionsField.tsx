import { FieldShell } from '../fields/FieldShell';
import { JsonField } from '../fields/JsonField';
import type { WidgetProps } from '../fields/SchemaField';
import { useFormContext } from '../form-context';
import { errorsUnder } from '../schema/paths';

/** A condition tree. */
export function ConditionsField({ label, model, path, value, onChange, required }: WidgetProps) {
  const { errors } = useFormContext();
  return (
    <FieldShell
      label={label}
      description={model.description}
      optional={!required}
      errors={errorsUnder(errors, path)}
    >
      {(input) => <JsonField {...input} value={value} onChange={onChange} />}
    </FieldShell>
  );
}

import type { NodeTypeDescription } from '@touchline/journey';

/** A field-level problem to show beside its input; `path` is a dotted config path ("branches.0.port"). */
export interface FieldError {
  path?: string;
  message: string;
}

export interface NodeSettingsFormProps {
  nodeType: NodeTypeDescription;
  value: unknown;
  onChange: (next: unknown) => void;
  errors?: readonly FieldError[];
}

/**
 * The settings form of one node, generated from its type's JSON Schema. Placeholder: a JSON
 * textarea until the generated form lands.
 */
export function NodeSettingsForm({ value, onChange }: NodeSettingsFormProps) {
  return (
    <textarea
      aria-label="Config (JSON)"
      defaultValue={JSON.stringify(value, null, 2)}
      onBlur={(event) => {
        try {
          onChange(JSON.parse(event.target.value));
        } catch {
          // left as typed until it parses
        }
      }}
    />
  );
}

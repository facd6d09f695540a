import { QueryClient, QueryClientContext, QueryClientProvider } from '@tanstack/react-query';
import type { NodeTypeDescription } from '@touchline/journey';
import { useContext, useMemo, useState } from 'react';
import { httpLookups, type SettingsLookups } from './data/lookups';
import { SchemaField } from './fields/SchemaField';
import { FormContext, type FormContextValue } from './form-context';
import type { Schema } from './schema/json-schema';
import { withDefaults } from './schema/values';
import './settings.css';

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
  /** Where pickers get events, templates and segments; the admin API by default. */
  lookups?: SettingsLookups;
  /** Shows the settings without letting them change (a published version). */
  readOnly?: boolean;
  /** The journey's trigger event, whose property keys conditions on `event` are offered. */
  triggerEvent?: string;
}

const noErrors: readonly FieldError[] = [];

/**
 * The settings form of one node, generated from its type's JSON Schema: every field labelled by
 * its title or property name, widgets where the schema (or the name) asks for one, and a JSON
 * box for shapes it cannot draw. Controlled: every edit calls `onChange` with the whole config.
 *
 * @example
 * <NodeSettingsForm nodeType={waitEvent} value={node.config} onChange={setConfig} errors={errors} />
 */
export function NodeSettingsForm(props: NodeSettingsFormProps) {
  // The editor provides a query cache; a form rendered on its own (a test, a preview) gets one.
  const client = useContext(QueryClientContext);
  const [fallback] = useState(() => (client ? null : new QueryClient()));
  if (fallback) {
    return (
      <QueryClientProvider client={fallback}>
        <SettingsForm {...props} />
      </QueryClientProvider>
    );
  }
  return <SettingsForm {...props} />;
}

function SettingsForm({
  nodeType,
  value,
  onChange,
  errors = noErrors,
  lookups = httpLookups,
  readOnly = false,
  triggerEvent,
}: NodeSettingsFormProps) {
  const root = nodeType.configSchema as Schema;
  const config = useMemo(
    () => withDefaults(value === undefined || value === null ? nodeType.defaults : value, root),
    [value, nodeType.defaults, root],
  );
  const context = useMemo<FormContextValue>(
    () => ({ nodeType, root, config, errors, lookups, triggerEvent: triggerEvent ?? null }),
    [nodeType, root, config, errors, lookups, triggerEvent],
  );
  return (
    <FormContext.Provider value={context}>
      <form
        className="tl-settings"
        aria-label={`${nodeType.label} settings`}
        noValidate
        onSubmit={(event) => event.preventDefault()}
      >
        {nodeType.description ? <p className="tl-settings__intro">{nodeType.description}</p> : null}
        <fieldset className="tl-settings__fields" disabled={readOnly}>
          <SchemaField schema={root} path={[]} value={config} required onChange={onChange} />
        </fieldset>
      </form>
    </FormContext.Provider>
  );
}

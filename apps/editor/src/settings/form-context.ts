import type { NodeTypeDescription } from '@touchline/journey';
import { createContext, useContext } from 'react';
import type { SettingsLookups } from './data/lookups';
import type { FieldError } from './NodeSettingsForm';
import type { Schema } from './schema/json-schema';

/** What every field of one form shares. */
export interface FormContextValue {
  readonly nodeType: NodeTypeDescription;
  /** The config schema, against which `$ref`s resolve. */
  readonly root: Schema;
  /** The whole config as shown (defaults applied), for widgets that read a sibling field. */
  readonly config: unknown;
  readonly errors: readonly FieldError[];
  readonly lookups: SettingsLookups;
  /** The journey's trigger event name, when the caller knows it. */
  readonly triggerEvent: string | null;
}

export const FormContext = createContext<FormContextValue | null>(null);

export function useFormContext(): FormContextValue {
  const context = useContext(FormContext);
  if (!context) throw new Error('a settings field rendered outside NodeSettingsForm');
  return context;
}

import { type ReactNode, useId } from 'react';
import type { FieldError } from '../NodeSettingsForm';
import { normaliseErrorPath } from '../schema/paths';

export interface InputProps {
  /** Put on the input, so its `<label>` names it. */
  readonly id: string;
  /** Put on the input as `aria-describedby`: its hint and its errors. */
  readonly describedBy: string | undefined;
  readonly invalid: boolean;
}

export interface FieldShellProps {
  readonly label: string;
  readonly description?: string | null;
  readonly optional?: boolean;
  readonly errors: readonly FieldError[];
  /** Extra controls beside the label (a "Remove" button). */
  readonly actions?: ReactNode;
  /** `check`: the input before its label on one line, as checkboxes read. */
  readonly layout?: 'stack' | 'check';
  readonly children: (input: InputProps) => ReactNode;
}

/** A label, the input, its hint and its errors; the input is described by both. */
export function FieldShell({
  label,
  description,
  optional,
  errors,
  actions,
  layout = 'stack',
  children,
}: FieldShellProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy =
    [description ? hintId : null, errors.length > 0 ? errorId : null].filter(Boolean).join(' ') || undefined;
  const input = children({ id, describedBy, invalid: errors.length > 0 });
  return (
    <div className={`tl-field${errors.length > 0 ? ' tl-field--invalid' : ''}`}>
      <div className="tl-field__head">
        {layout === 'check' ? input : null}
        <label className="tl-field__label" htmlFor={id}>
          {label}
        </label>
        {optional ? <span className="tl-field__optional">optional</span> : null}
        {actions}
      </div>
      {layout === 'check' ? null : input}
      {description ? (
        <p className="tl-field__hint" id={hintId}>
          {description}
        </p>
      ) : null}
      <FieldErrors id={errorId} errors={errors} />
    </div>
  );
}

/**
 * The compiler starts a message with its path ("event: name the event to wait for"); beside
 * the field that path says nothing, so it is dropped.
 */
export function messageOf(error: FieldError): string {
  const at = normaliseErrorPath(error.path);
  return at !== '' && error.message.startsWith(`${at}: `)
    ? error.message.slice(at.length + 2)
    : error.message;
}

export function FieldErrors({ id, errors }: { id?: string; errors: readonly FieldError[] }) {
  if (errors.length === 0) return null;
  return (
    <ul className="tl-field__errors" id={id} role="alert">
      {errors.map((error, index) => (
        // Errors have no identity of their own; the list is replaced whole on each validation.
        // biome-ignore lint/suspicious/noArrayIndexKey: see above
        <li key={index}>{messageOf(error)}</li>
      ))}
    </ul>
  );
}

export interface GroupShellProps {
  readonly label: string;
  readonly description?: string | null;
  readonly optional?: boolean;
  readonly errors: readonly FieldError[];
  readonly actions?: ReactNode;
  readonly className?: string;
  readonly children: ReactNode;
}

/** A fieldset for objects, lists and variants: the legend names the group, inputs keep their own labels. */
export function GroupShell({
  label,
  description,
  optional,
  errors,
  actions,
  className,
  children,
}: GroupShellProps) {
  const id = useId();
  return (
    <fieldset
      className={`tl-group${className ? ` ${className}` : ''}${errors.length > 0 ? ' tl-field--invalid' : ''}`}
      aria-describedby={errors.length > 0 ? `${id}-error` : undefined}
    >
      {label ? (
        <legend className="tl-group__legend">
          {label}
          {optional ? <span className="tl-field__optional">optional</span> : null}
          {actions}
        </legend>
      ) : null}
      {description ? <p className="tl-field__hint">{description}</p> : null}
      <FieldErrors id={`${id}-error`} errors={errors} />
      {children}
    </fieldset>
  );
}

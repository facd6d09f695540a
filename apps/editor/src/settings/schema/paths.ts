/** A config path as the form walks it: property names and list indexes. */
export type Path = readonly (string | number)[];

/** `['branches', 0, 'port']` → `"branches.0.port"`, the form of `FieldError.path`. */
export const pathKey = (path: Path): string => path.join('.');

/** The path of a `FieldError`, without the `config.` prefix the compiler puts on node errors. */
export function normaliseErrorPath(path: string | undefined): string {
  if (!path) return '';
  return path.replace(/^config(\.|$)/, '');
}

/** Errors whose path is exactly `path`. */
export function errorsAt<E extends { path?: string }>(errors: readonly E[], path: Path): E[] {
  const key = pathKey(path);
  return errors.filter((error) => normaliseErrorPath(error.path) === key);
}

/** Errors at `path` or anywhere below it. */
export function errorsUnder<E extends { path?: string }>(errors: readonly E[], path: Path): E[] {
  const key = pathKey(path);
  return errors.filter((error) => {
    const at = normaliseErrorPath(error.path);
    return key === '' || at === key || at.startsWith(`${key}.`);
  });
}

/**
 * An object with `key` set to `next`, or removed when `next` is undefined — an optional field
 * left empty disappears from the config instead of being sent as `""`.
 */
export function withKey(
  object: Readonly<Record<string, unknown>>,
  key: string,
  next: unknown,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...object };
  if (next === undefined) delete out[key];
  else out[key] = next;
  return out;
}

/** A list with item `index` replaced. */
export function withItem<T>(list: readonly T[], index: number, next: T): T[] {
  return list.map((item, at) => (at === index ? next : item));
}

/** A list with item `from` moved to `to`. */
export function moveItem<T>(list: readonly T[], from: number, to: number): T[] {
  if (to < 0 || to >= list.length) return [...list];
  const out = [...list];
  const [item] = out.splice(from, 1);
  out.splice(to, 0, item as T);
  return out;
}

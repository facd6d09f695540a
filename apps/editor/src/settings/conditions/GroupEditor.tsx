import type { ConditionLeaf } from '@touchline/journey';
import type { FieldError } from '../NodeSettingsForm';
import { normaliseErrorPath } from '../schema/paths';
import { behaviourLeaf } from './BehaviourLeaf';
import { attributeLeaf, LeafEditor } from './LeafEditor';
import {
  type BuilderGroup,
  type BuilderItem,
  emptyGroup,
  type LeafPaths,
  newId,
  type SectionName,
  updateItem,
} from './model';

export interface GroupEditorProps {
  readonly group: BuilderGroup;
  readonly onChange: (group: BuilderGroup) => void;
  /** The kinds of condition this group offers to add. */
  readonly adds: readonly SectionName[];
  readonly eventName: string | null;
  /** Where each leaf sits in the config, to match errors to rows. */
  readonly paths: LeafPaths;
  /** The config path of the whole condition ("conditions", "branches.0.conditions"). */
  readonly basePath: string;
  readonly errors: readonly FieldError[];
  readonly title?: string;
  readonly onRemove?: () => void;
  readonly depth?: number;
}

const addLabels: Readonly<Record<SectionName, string>> = {
  event: 'Add property condition',
  attributes: 'Add attribute condition',
  behaviour: 'Add behaviour condition',
};

function newLeaf(kind: SectionName): ConditionLeaf {
  if (kind === 'attributes') return attributeLeaf('computed.orders_count', 'number');
  if (kind === 'behaviour') return behaviourLeaf();
  return { fact: 'event', path: 'properties.', operator: 'equal', value: '' };
}

/** A group: match all (and) or any (or) of its items, optionally negated (not); nested groups recurse. */
export function GroupEditor(props: GroupEditorProps) {
  const { group, onChange, adds, eventName, paths, basePath, errors, title, onRemove, depth = 0 } = props;
  const replace = (id: string, next: BuilderItem | null) => onChange(updateItem(group, id, next));
  const errorsOf = (id: string) => {
    const at = paths.get(id);
    if (at === undefined) return [];
    const prefix = `${basePath}.${at}`;
    return errors.filter((error) => {
      const path = normaliseErrorPath(error.path);
      return path === prefix || path.startsWith(`${prefix}.`);
    });
  };
  return (
    <fieldset
      className={`tl-cond__group${depth > 0 ? ' tl-cond__group--nested' : ''}`}
      aria-label={title ?? 'Group'}
    >
      <div className="tl-cond__group-head">
        {title ? <span className="tl-cond__title">{title}</span> : null}
        {group.items.length > 1 ? (
          <span className="tl-cond__match">
            Match
            <select
              className="tl-input tl-input--inline"
              aria-label="Match"
              value={group.match}
              onChange={(event) =>
                onChange({ ...group, match: event.target.value === 'any' ? 'any' : 'all' })
              }
            >
              <option value="all">all of (and)</option>
              <option value="any">any of (or)</option>
            </select>
          </span>
        ) : null}
        {group.items.length > 0 || group.negate ? (
          <label className="tl-cond__not">
            <input
              type="checkbox"
              checked={group.negate}
              onChange={(event) => onChange({ ...group, negate: event.target.checked })}
            />
            not
          </label>
        ) : null}
        {onRemove ? (
          <button
            type="button"
            className="tl-icon-button"
            aria-label="Remove group"
            title="Remove group"
            onClick={onRemove}
          >
            ×
          </button>
        ) : null}
      </div>
      {group.items.map((item, index) => (
        <div className="tl-cond__item" key={item.id}>
          {index > 0 ? <span className="tl-cond__joiner">{group.match === 'all' ? 'and' : 'or'}</span> : null}
          {item.kind === 'leaf' ? (
            <LeafEditor
              leaf={item.leaf}
              type={item.type}
              eventName={eventName}
              errors={errorsOf(item.id)}
              onRemove={() => replace(item.id, null)}
              onChange={(leaf, type) =>
                replace(item.id, { kind: 'leaf', id: item.id, leaf, ...(type ? { type } : {}) })
              }
            />
          ) : (
            <GroupEditor
              {...props}
              group={item.group}
              title={undefined}
              depth={depth + 1}
              onRemove={() => replace(item.id, null)}
              onChange={(next) => replace(item.id, { ...item, group: next })}
            />
          )}
        </div>
      ))}
      <div className="tl-cond__adds">
        {adds.map((kind) => (
          <button
            key={kind}
            type="button"
            className="tl-add-button"
            onClick={() =>
              onChange({
                ...group,
                items: [...group.items, { kind: 'leaf', id: newId(), leaf: newLeaf(kind) }],
              })
            }
          >
            {addLabels[kind]}
          </button>
        ))}
        {depth < 3 ? (
          <button
            type="button"
            className="tl-add-button"
            onClick={() =>
              onChange({
                ...group,
                items: [
                  ...group.items,
                  { kind: 'group', id: newId(), group: emptyGroup(group.match === 'all' ? 'any' : 'all') },
                ],
              })
            }
          >
            Add group
          </button>
        ) : null}
      </div>
    </fieldset>
  );
}

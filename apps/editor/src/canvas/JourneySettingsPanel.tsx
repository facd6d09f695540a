import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useCanvas } from './canvas-context';
import type { JourneySettingsDraft } from './graph-model';

const reentryChoices = [
  ['never', 'Never: a profile enters once'],
  ['after_exit', 'After exit: again once the previous run ended'],
  ['always', 'Always: any time, even while in the journey'],
] as const;

const text = (value: unknown) => (typeof value === 'string' ? value : '');
const record = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/** Writes a setting, dropping it when emptied, so that cleared fields do not fail validation. */
function withSetting(settings: JourneySettingsDraft, key: string, value: unknown): JourneySettingsDraft {
  const next = { ...settings };
  if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) delete next[key];
  else next[key] = value;
  return next;
}

/** Journey-wide settings: re-entry, exit events and the goal. Plain labelled inputs. */
export function JourneySettingsPanel() {
  const settings = useCanvas((state) => state.settings);
  const readOnly = useCanvas((state) => state.readOnly);
  const restored = useCanvas((state) => state.restored);
  const updateSettings = useCanvas((state) => state.updateSettings);
  const problems = useCanvas(
    useShallow((state) =>
      state.validation.problems.filter((problem) => problem.path?.startsWith('settings')),
    ),
  );
  const goal = record(settings.goal);
  const [exitText, setExitText] = useState(() =>
    Array.isArray(settings.exitOn) ? settings.exitOn.join(', ') : '',
  );

  const setGoal = (patch: Record<string, unknown>) => {
    const next = { ...goal, ...patch };
    for (const key of Object.keys(next)) if (next[key] === '') delete next[key];
    updateSettings(withSetting(settings, 'goal', Object.keys(next).length > 0 ? next : undefined));
  };

  return (
    <section className="tl-panel" aria-labelledby="tl-journey-settings-title" key={restored}>
      <h2 id="tl-journey-settings-title">Journey settings</h2>
      <p className="tl-panel-note">Select a step on the canvas to edit it.</p>
      <fieldset disabled={readOnly}>
        <label>
          Re-entry
          <select
            value={text(settings.reentry) || 'never'}
            onChange={(event) => updateSettings({ ...settings, reentry: event.target.value })}
          >
            {reentryChoices.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Cooldown between runs
          <input
            defaultValue={text(settings.cooldown)}
            placeholder="e.g. PT12H"
            onChange={(event) => updateSettings(withSetting(settings, 'cooldown', event.target.value.trim()))}
          />
        </label>
        <label>
          Exit when any of these events happen
          <input
            value={exitText}
            placeholder="e.g. order_completed, unsubscribed"
            onChange={(event) => {
              setExitText(event.target.value);
              const events = event.target.value
                .split(',')
                .map((name) => name.trim())
                .filter(Boolean);
              updateSettings(withSetting(settings, 'exitOn', events));
            }}
          />
        </label>
        <label>
          Goal event
          <input
            defaultValue={text(goal.event)}
            placeholder="e.g. order_completed"
            onChange={(event) => setGoal({ event: event.target.value.trim() })}
          />
        </label>
        <label>
          Goal within
          <input
            defaultValue={text(goal.within)}
            placeholder="e.g. P3D"
            onChange={(event) => setGoal({ within: event.target.value.trim() })}
          />
        </label>
      </fieldset>
      {problems.length > 0 && (
        <ul className="tl-panel-problems" aria-label="Problems with the journey settings">
          {problems.map((problem, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: messages can repeat; the order is stable
            <li key={index}>{problem.message}</li>
          ))}
        </ul>
      )}
    </section>
  );
}

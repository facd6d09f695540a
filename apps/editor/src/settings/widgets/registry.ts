import type { WidgetComponent } from '../fields/SchemaField';
import type { WidgetName } from '../schema/json-schema';
import { ConditionsField } from './ConditionsField';
import { DurationInput } from './DurationInput';
import { EventNameInput, PropertyPathInput } from './EventNameInput';
import { SegmentPicker, TemplatePicker } from './ReferencePickers';
import { TimeOfDayInput, TimezoneInput } from './TimeInputs';

/** Widgets that draw their own group (fieldset) instead of one labelled input. */
export const groupWidgets = { conditions: ConditionsField } satisfies Partial<
  Record<WidgetName, WidgetComponent>
>;

/** Widgets drawn inside a labelled field; `input.id` goes on their main input. */
export const fieldWidgets: Readonly<Record<Exclude<WidgetName, keyof typeof groupWidgets>, WidgetComponent>> =
  {
    'event-name': EventNameInput,
    duration: DurationInput,
    template: TemplatePicker,
    segment: SegmentPicker,
    'time-of-day': TimeOfDayInput,
    timezone: TimezoneInput,
    'property-path': PropertyPathInput,
  };

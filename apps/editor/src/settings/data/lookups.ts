import { useQuery } from '@tanstack/react-query';
import { request } from '../../api';

/** An event name seen in the workspace, as `GET /api/events/names` answers. */
export interface EventNameSummary {
  readonly name: string;
  readonly count: number;
  readonly lastSeenAt: string;
  /** Top-level property keys seen on its recent events. */
  readonly properties: readonly string[];
}

export interface TemplateSummary {
  readonly id: string;
  readonly name: string;
  readonly channel: string;
}

export interface SegmentSummary {
  readonly id: string;
  readonly name: string;
}

/**
 * Where the pickers get their options. The editor reads the admin API; tests and previews pass
 * fixed lists.
 */
export interface SettingsLookups {
  eventNames(): Promise<readonly EventNameSummary[]>;
  templates(channel: string | null): Promise<readonly TemplateSummary[]>;
  segments(): Promise<readonly SegmentSummary[]>;
}

export const httpLookups: SettingsLookups = {
  eventNames: async () => (await request<{ events: EventNameSummary[] }>('GET', '/api/events/names')).events,
  templates: async (channel) =>
    (
      await request<{ templates: TemplateSummary[] }>(
        'GET',
        channel ? `/api/templates?channel=${encodeURIComponent(channel)}` : '/api/templates',
      )
    ).templates,
  segments: async () => (await request<{ segments: SegmentSummary[] }>('GET', '/api/segments')).segments,
};

const staleTime = 60_000;

export function useEventNames(lookups: SettingsLookups) {
  return useQuery({ queryKey: ['settings', 'event-names'], queryFn: () => lookups.eventNames(), staleTime });
}

export function useTemplates(lookups: SettingsLookups, channel: string | null) {
  return useQuery({
    queryKey: ['settings', 'templates', channel],
    queryFn: () => lookups.templates(channel),
    staleTime,
  });
}

export function useSegments(lookups: SettingsLookups) {
  return useQuery({ queryKey: ['settings', 'segments'], queryFn: () => lookups.segments(), staleTime });
}

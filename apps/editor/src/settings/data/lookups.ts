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

/** A trait key seen on the workspace's profiles, as `GET /api/traits` answers. */
export interface TraitKeySummary {
  readonly key: string;
  /** The JSON type most of its values have. */
  readonly type: 'string' | 'number' | 'boolean' | 'array' | 'object';
  /** How many of the sampled profiles have it. */
  readonly count: number;
}

export interface TraitKeys {
  /** How many profiles the keys were read from. */
  readonly sampled: number;
  /** Whether those are every profile of the workspace (else a sample of them). */
  readonly complete: boolean;
  /** Most common first. */
  readonly traits: readonly TraitKeySummary[];
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
  traitKeys(): Promise<TraitKeys>;
  templates(channel: string | null): Promise<readonly TemplateSummary[]>;
  segments(): Promise<readonly SegmentSummary[]>;
}

export const httpLookups: SettingsLookups = {
  eventNames: async () => (await request<{ events: EventNameSummary[] }>('GET', '/api/events/names')).events,
  traitKeys: () => request<TraitKeys>('GET', '/api/traits'),
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

export function useTraitKeys(lookups: SettingsLookups) {
  return useQuery({ queryKey: ['settings', 'trait-keys'], queryFn: () => lookups.traitKeys(), staleTime });
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

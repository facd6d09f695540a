import {
  addSuppression,
  type Db,
  findStatusTarget,
  findTrackedMessage,
  recordDeliveryStatus,
  type SuppressionChannel,
  suppressionChannels,
} from '@touchline/db';
import type { IngestPipeline } from '@touchline/ingest';
import { normalizeMessage } from '@touchline/ingest';
import { messageProperties } from './engagement.js';

/**
 * What a provider's report on a message does: the message's status moves forward (never back),
 * the profile gets an event through ingestion (`email_delivered`, `email_bounced`,
 * `email_complained`, `email_failed`; `sms_…` and so on for other channels) so journeys can
 * react, and a hard bounce or a complaint puts the address on the suppression list. Every part
 * is idempotent: the event's messageId is derived from the message and the report, the status
 * only moves forward, and the list keeps one row per address.
 */

export interface DeliveryStatusReport {
  messageId?: string | undefined;
  providerId?: string | undefined;
  status: 'delivered' | 'bounced' | 'complained' | 'failed';
  /** For `bounced`: hard (permanent: the address is suppressed) or soft (the provider retries). */
  bounce?: 'hard' | 'soft' | undefined;
  reason?: string | undefined;
  at?: string | undefined;
}

export type ReportOutcome =
  /** Something changed: the status, the profile's events, or the suppression list. */
  | 'applied'
  /** Reported before: nothing changed. */
  | 'duplicate'
  /** No message of this workspace has that id. */
  | 'unknown_message';

interface Deps {
  db: Db;
  ingest: IngestPipeline;
}

const isSuppressible = (channel: string): channel is SuppressionChannel =>
  (suppressionChannels as readonly string[]).includes(channel);

export async function applyDeliveryStatus(
  deps: Deps,
  workspaceId: string,
  report: DeliveryStatusReport,
  receivedAt: Date,
): Promise<ReportOutcome> {
  const target = await findStatusTarget(deps.db, workspaceId, report);
  if (!target) return 'unknown_message';
  const hard = report.status === 'bounced' && (report.bounce ?? 'hard') === 'hard';
  const at = report.at ? new Date(report.at) : receivedAt;
  const why = report.reason ? `: ${report.reason}` : '';

  // The event first: a failure after it leaves a report the provider sends again, and the event
  // is stored once. A soft bounce and a later hard one are two events.
  const kind = report.status === 'bounced' ? `bounced:${report.bounce ?? 'hard'}` : report.status;
  let changed = false;
  const tracked = await findTrackedMessage(deps.db, target.id);
  const identity = tracked?.userId
    ? { userId: tracked.userId }
    : tracked?.anonymousId
      ? { anonymousId: tracked.anonymousId }
      : undefined;
  if (tracked && identity) {
    const normalized = normalizeMessage(
      {
        ...identity,
        messageId: `touchline:status:${target.id}:${kind}`,
        event: `${target.channel}_${report.status}`,
        timestamp: at.toISOString(),
        properties: {
          ...messageProperties(tracked),
          ...(report.status === 'bounced' ? { bounce_type: report.bounce ?? 'hard' } : {}),
          ...(report.reason ? { reason: report.reason.slice(0, 1000) } : {}),
          ...(report.providerId ? { provider_id: report.providerId } : {}),
        },
      },
      { workspaceId, type: 'track', receivedAt },
    );
    if (normalized.ok) {
      const result = await deps.ingest.ingest([normalized.event]);
      changed = result.accepted > 0;
    }
  }

  if (report.status === 'delivered') {
    changed = (await recordDeliveryStatus(deps.db, workspaceId, target.id, 'delivered', null)) || changed;
  } else if (report.status === 'failed' || hard) {
    const error = report.status === 'failed' ? `failed${why}` : `bounced (hard)${why}`;
    changed = (await recordDeliveryStatus(deps.db, workspaceId, target.id, 'failed', error)) || changed;
  }
  if ((hard || report.status === 'complained') && target.address && isSuppressible(target.channel)) {
    const added = await addSuppression(deps.db, workspaceId, {
      channel: target.channel,
      address: target.address,
      reason: hard ? 'bounced' : 'complained',
      sourceMessageId: target.id,
      detail: report.reason?.slice(0, 1000) ?? null,
    });
    changed = added.created || changed;
  }
  return changed ? 'applied' : 'duplicate';
}

import {
  type ChannelAdapter,
  type EmailTemplateContent,
  type MessageContext,
  type OutboundMessage,
  PermanentDeliveryError,
  profileForTemplates,
  RetryableDeliveryError,
  renderEmail,
  renderTextFields,
  renderWebhookRequest,
  TemplateError,
} from '@touchline/channels';
import {
  type Db,
  type DeliverableMessage,
  findTemplateVersion,
  markMessageFailed,
  recordFailedAttempt,
  releaseMessage,
} from '@touchline/db';
import { deliveryBatches } from './batches.js';
import type { Delivery } from './delivery.js';
import { pacedSlot } from './pacing.js';
import { recommendedProducts } from './recommendations.js';
import { retryDeliveryAt } from './retry-at.js';
import { awaitedResponseOf, resumeAfterWebhook } from './webhook-response.js';

/** A test send names its recipient; every other message goes to its profile's address. */
const testRecipient = (message: DeliverableMessage): string | null =>
  message.content.test === true && typeof message.content.to === 'string' ? message.content.to : null;

export type DeliveryOutcome =
  | { outcome: 'sent'; providerId: string }
  /** Held back by the workspace's rate limit: its job is due at its slot, then it is sent. */
  | { outcome: 'paced'; at: Date }
  | { outcome: 'failed'; error: string }
  /** Not queued: sent, failed or suppressed already, or gone. */
  | { outcome: 'skipped'; status: string }
  /** Claimed by an attempt that never finished (a crash mid-send): not sent again. */
  | { outcome: 'interrupted' }
  /** Refused for now with a `Retry-After`: queued again, its job due then. */
  | { outcome: 'retrying'; at: Date };

/** A failure worth retrying, thrown so that graphile-worker retries the job with backoff. */
export class DeliveryRetry extends Error {
  override readonly name = 'DeliveryRetry';
}

export interface Prepared {
  outbound: OutboundMessage;
  adapter: ChannelAdapter;
  templateVersion: number | null;
  rendered: Record<string, unknown>;
}

/**
 * Delivers one outbox message exactly as far as a crash allows: render (nothing claimed yet, so
 * a crash here is retried from scratch), claim (`queued` → `sending`, one attempt wins), hand to
 * the adapter, mark `sent`. An attempt that finds the message still `sending` knows an earlier
 * one died after claiming it, perhaps after the provider took it: an idempotent adapter gets it
 * again (the key makes the second hand-off a no-op: exactly once); any other is not sent again
 * (at most once) and the failure is recorded with the reason. Provider-side, the idempotency key
 * travels with the message (SMTP: the Message-ID).
 *
 * An idempotent adapter is handed the message without the claim: a crash after the hand-off
 * leaves it `queued`, and the retry's second hand-off (same key) delivers nothing more, which is
 * all the claim would have bought. One commit per message (`sent`) instead of two.
 */
export async function deliverMessage(
  db: Db,
  delivery: Delivery,
  workspaceId: string,
  messageId: string,
): Promise<DeliveryOutcome> {
  const batches = deliveryBatches(db);
  const message = await batches.find(workspaceId, messageId);
  if (!message) return { outcome: 'skipped', status: 'missing' };
  const resend =
    message.status === 'sending' &&
    (await delivery.adapters.forChannel(db, workspaceId, message.channel))?.idempotent === true;
  // A webhook node that saves its answer keeps its enrollment waiting until delivery ends.
  const awaited = message.channel === 'webhook' ? awaitedResponseOf(message.content) : null;
  const release = async (answer: { json: unknown } | null) => {
    if (awaited) await resumeAfterWebhook(db, workspaceId, awaited, answer);
  };
  if (message.status === 'sending' && !resend) {
    await release(null);
    await markMessageFailed(
      db,
      workspaceId,
      messageId,
      'delivery interrupted after the message was handed to its adapter; not sent again (at most once): it may or may not have arrived',
      ['sending'],
    );
    return { outcome: 'interrupted' };
  }
  if (message.status !== 'queued' && !resend) return { outcome: 'skipped', status: message.status };
  // Over the workspace's rate limit for the channel: sent at its slot instead (not rendered now).
  const pacedUntil = message.status === 'queued' ? await pacedSlot(db, message) : null;
  if (pacedUntil) return { outcome: 'paced', at: pacedUntil };

  let prepared: Prepared;
  try {
    prepared = await prepare(db, delivery, message);
  } catch (error) {
    if (!(error instanceof TemplateError || error instanceof PermanentDeliveryError)) throw error;
    await markMessageFailed(db, workspaceId, messageId, error.message, ['queued']);
    await release(null);
    return { outcome: 'failed', error: error.message };
  }

  const unclaimed = prepared.adapter.idempotent === true;
  const attempt = unclaimed
    ? message.deliveryAttempts + 1
    : await batches.claim({
        workspaceId,
        messageId,
        adapter: prepared.adapter.name,
        reclaim: resend,
      });
  if (attempt === undefined) return { outcome: 'skipped', status: 'claimed' };
  try {
    const result = await prepared.adapter.send(prepared.outbound);
    const { providerId } = result;
    const marked = await batches.markSent({
      workspaceId,
      messageId,
      providerId,
      templateVersion: prepared.templateVersion,
      rendered: prepared.rendered,
      ...(unclaimed ? { adapter: prepared.adapter.name } : {}),
    });
    // Unclaimed, another attempt may have marked it first (the same key: delivered once).
    if (!marked && unclaimed) return { outcome: 'skipped', status: 'sent' };
    // After `sent` commits: a crash in between leaves the enrollment waiting out its timeout.
    await release('response' in result ? { json: result.response } : null);
    return { outcome: 'sent', providerId };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (error instanceof PermanentDeliveryError || attempt >= delivery.maxAttempts) {
      const final =
        error instanceof PermanentDeliveryError ? reason : `${reason} (gave up after ${attempt} attempts)`;
      await markMessageFailed(
        db,
        workspaceId,
        messageId,
        final,
        unclaimed ? ['queued', 'sending'] : ['sending'],
      );
      await release(null);
      return { outcome: 'failed', error: final };
    }
    // RetryableDeliveryError and anything unexpected: back to the queue, and the job retries.
    if (unclaimed) await recordFailedAttempt(db, workspaceId, messageId, `attempt ${attempt}: ${reason}`);
    else await releaseMessage(db, workspaceId, messageId, `attempt ${attempt}: ${reason}`);
    if (error instanceof RetryableDeliveryError && error.retryAfterMs !== undefined) {
      // The provider said when: a new job then, instead of graphile-worker's backoff.
      const at = await retryDeliveryAt(db, workspaceId, messageId, error.retryAfterMs);
      return { outcome: 'retrying', at };
    }
    throw new DeliveryRetry(`message ${messageId}, attempt ${attempt}: ${reason}`, { cause: error });
  }
}

type TemplateVersion = Awaited<ReturnType<typeof findTemplateVersion>>;
const templateVersions = new WeakMap<Db, Map<string, { at: number; value: Promise<TemplateVersion> }>>();
const templateTtlMs = 30_000;

/**
 * A template version, read at most every 30 s per process: versions never change, and messages
 * of one send come by thousands (a deleted template stops being sent within the TTL).
 */
function templateVersionOf(
  db: Db,
  workspaceId: string,
  templateId: string,
  version: number,
): Promise<TemplateVersion> {
  let cache = templateVersions.get(db);
  if (!cache) {
    cache = new Map();
    templateVersions.set(db, cache);
  }
  const key = `${workspaceId}:${templateId}:${version}`;
  const now = Date.now();
  const cached = cache.get(key);
  if (cached && now - cached.at < templateTtlMs) return cached.value;
  if (cache.size >= 1_000) cache.clear();
  const value = findTemplateVersion(db, workspaceId, templateId, version);
  const entry = { at: now, value };
  cache.set(key, entry);
  // Not found or failed: asked again next time.
  value.then(
    (found) => {
      if (!found && cache.get(key) === entry) cache.delete(key);
    },
    () => {
      if (cache.get(key) === entry) cache.delete(key);
    },
  );
  return value;
}

/** Renders a message for its channel's adapter (nothing written): what every delivery path hands over. */
export async function prepare(db: Db, delivery: Delivery, message: DeliverableMessage): Promise<Prepared> {
  const adapter = await delivery.adapters.forChannel(db, message.workspaceId, message.channel);
  if (!adapter) throw new PermanentDeliveryError(`no adapter delivers ${message.channel} messages`);
  if (message.channel === 'webhook') {
    // No template: the request is the node's config (`url`, `method`, `body`), its body rendered.
    const node = message.content.node;
    if (!node || typeof node !== 'object') {
      throw new PermanentDeliveryError('the webhook send has no request');
    }
    const request = renderWebhookRequest(
      node as Record<string, unknown>,
      {
        profile: profileForTemplates(message.profile),
        event: message.content.triggerEvent ?? null,
        journey: (message.content.journey ?? {}) as Record<string, unknown>,
      },
      delivery.templates.engines,
    );
    const body = { ...request } as Record<string, unknown>;
    return {
      adapter,
      templateVersion: null,
      rendered: body,
      outbound: {
        workspaceId: message.workspaceId,
        messageId: message.id,
        idempotencyKey: message.idempotencyKey,
        channel: message.channel,
        to: request.url,
        body,
      },
    };
  }
  if (!message.templateId || message.templateVersion === null) {
    throw new PermanentDeliveryError('the send names no template, or its template was deleted');
  }
  const { templateId, templateVersion } = message;
  const version = await templateVersionOf(db, message.workspaceId, templateId, templateVersion);
  if (!version) throw new PermanentDeliveryError(`template ${templateId} has no version ${templateVersion}`);
  if (version.channel !== message.channel) {
    throw new PermanentDeliveryError(
      `template ${templateId} is a ${version.channel} template, not ${message.channel}`,
    );
  }

  const links = delivery.links({
    workspaceId: message.workspaceId,
    messageId: message.id,
    idempotencyKey: message.idempotencyKey,
  });
  const event = (message.content.triggerEvent ?? null) as MessageContext['event'];
  const context: MessageContext = {
    profile: profileForTemplates(message.profile),
    event,
    journey: (message.content.journey ?? {}) as Record<string, unknown>,
    products: [],
  };
  const base = {
    workspaceId: message.workspaceId,
    messageId: message.id,
    idempotencyKey: message.idempotencyKey,
    channel: message.channel,
  };

  if (message.channel !== 'email') {
    const body = renderTextFields(
      version.content,
      { ...context, unsubscribe_url: links.unsubscribeUrl },
      delivery.templates.engines,
    );
    const to =
      testRecipient(message) ??
      (message.channel === 'sms' || message.channel === 'whatsapp'
        ? message.profile.phone
        : message.channel === 'push'
          ? (message.profile.push_tokens[0] ?? null)
          : message.profile.user_id);
    return { adapter, templateVersion, rendered: body, outbound: { ...base, to, body } };
  }

  const emailTo = testRecipient(message) ?? message.profile.email;
  if (!emailTo) throw new PermanentDeliveryError('the profile has no email address');
  const compiled = await delivery.templates.email(
    { workspaceId: message.workspaceId, templateId, version: templateVersion },
    () => version.content as unknown as EmailTemplateContent,
  );
  if (compiled.usesProducts) {
    context.products = await recommendedProducts(db, delivery, message.workspaceId, event);
  }
  const email = renderEmail(compiled, context, links, delivery.templates.engines);
  const rendered: Record<string, unknown> = { subject: email.subject, preheader: email.preheader };
  if (adapter.keepsContent) Object.assign(rendered, { html: email.html, text: email.text });
  return {
    adapter,
    templateVersion,
    rendered,
    outbound: {
      ...base,
      to: emailTo,
      email: { ...email, unsubscribeUrl: links.unsubscribeUrl || null },
    },
  };
}

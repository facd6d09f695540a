import {
  type AdapterEnvironment,
  type ChannelRegistry,
  CompiledTemplateCache,
  createChannelRegistry,
  createLiquidEngines,
  createSandboxAdapter,
  createSettingsCipher,
  type EmailLinks,
  type TrackingSecret,
  trackedEmailLinks,
} from '@touchline/channels';
import { WorkspaceAdapters } from './workspace-adapters.js';

/** The message a set of tracking links is for. */
export interface LinkTarget {
  workspaceId: string;
  messageId: string;
  idempotencyKey: string;
}

/** What a worker delivers messages with. One per process: its template cache is shared. */
export interface Delivery {
  /** The environment's adapters: what a channel a workspace has not set is delivered with. */
  channels: ChannelRegistry;
  /** Each workspace's adapter per channel, from its channel settings, else `channels`. */
  adapters: WorkspaceAdapters;
  templates: CompiledTemplateCache;
  /** The open pixel, click redirect and unsubscribe URLs of one message (signed by the caller). */
  links: (target: LinkTarget) => EmailLinks;
  /** Delivery attempts before a retryable failure counts as final. */
  maxAttempts: number;
  /** How far back "best sellers" look. */
  salesWindowDays: number;
  /** How many products `products` holds. */
  recommendations: number;
}

/** Links that track nothing: until tracking is configured, links go straight to their target. */
const untracked = (): EmailLinks => ({ clickUrl: (href) => href, unsubscribeUrl: '' });

/** Signed open, click and unsubscribe links under the public URL (the first secret signs). */
export function trackingLinks(
  publicUrl: string,
  secrets: TrackingSecret,
): (target: LinkTarget) => EmailLinks {
  return ({ messageId }) => trackedEmailLinks(publicUrl, secrets, messageId);
}

export interface DeliveryOptions extends Partial<Omit<Delivery, 'adapters'>> {
  /**
   * What the key that decrypts workspace channel credentials is derived from: TOUCHLINE_SECRET's
   * secrets, else the installation's stored secret (the first encrypts, all decrypt).
   */
  secrets?: readonly string[] | undefined;
  /** For adapters built from settings: TOUCHLINE_WEBHOOK_ALLOW_PRIVATE, the webhook signing secret. */
  adapterEnv?: AdapterEnvironment | undefined;
  /** How long a workspace's resolved adapter is used before its settings are checked again; 5 s. */
  settingsTtlMs?: number | undefined;
}

export function createDelivery(options: DeliveryOptions = {}): Delivery {
  const channels = options.channels ?? createChannelRegistry([createSandboxAdapter()]);
  const templates = options.templates ?? new CompiledTemplateCache(createLiquidEngines());
  return {
    channels,
    adapters: new WorkspaceAdapters({
      fallback: channels,
      cipher: options.secrets?.length ? createSettingsCipher(options.secrets) : undefined,
      env: { engines: templates.engines, ...options.adapterEnv },
      ttlMs: options.settingsTtlMs,
    }),
    templates,
    links: options.links ?? untracked,
    maxAttempts: options.maxAttempts ?? 5,
    salesWindowDays: options.salesWindowDays ?? 30,
    recommendations: options.recommendations ?? 4,
  };
}

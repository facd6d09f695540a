import {
  type ChannelRegistry,
  CompiledTemplateCache,
  createChannelRegistry,
  createLiquidEngines,
  createSandboxAdapter,
  type EmailLinks,
  type TrackingSecret,
  trackedEmailLinks,
} from '@touchline/channels';

/** The message a set of tracking links is for. */
export interface LinkTarget {
  workspaceId: string;
  messageId: string;
  idempotencyKey: string;
}

/** What a worker delivers messages with. One per process: its template cache is shared. */
export interface Delivery {
  channels: ChannelRegistry;
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

export function createDelivery(options: Partial<Delivery> = {}): Delivery {
  return {
    channels: options.channels ?? createChannelRegistry([createSandboxAdapter()]),
    templates: options.templates ?? new CompiledTemplateCache(createLiquidEngines()),
    links: options.links ?? untracked,
    maxAttempts: options.maxAttempts ?? 5,
    salesWindowDays: options.salesWindowDays ?? 30,
    recommendations: options.recommendations ?? 4,
  };
}

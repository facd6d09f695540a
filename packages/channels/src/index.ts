export {
  type ChannelAdapter,
  type ChannelName,
  type ChannelRegistry,
  createChannelRegistry,
  type DeliveryResult,
  type OutboundMessage,
} from './adapter.js';
export { classifyAddress } from './adapters/host-check.js';
export {
  createHttpProviderAdapter,
  type HttpProviderAuth,
  type HttpProviderOptions,
  mapResponse,
} from './adapters/http-provider.js';
export { type BodyTemplate, compileBodyTemplate, parseRetryAfter } from './adapters/http-provider-mapping.js';
export { createInAppAdapter } from './adapters/inapp.js';
export { createPushAdapter, defaultPushBody } from './adapters/push.js';
export { createSandboxAdapter } from './adapters/sandbox.js';
export { createSmsAdapter, defaultSmsBody } from './adapters/sms.js';
export { createSmtpAdapter, type SmtpAdapterOptions } from './adapters/smtp.js';
export {
  createWebhookAdapter,
  renderWebhookRequest,
  type WebhookAdapterOptions,
  type WebhookMethod,
  type WebhookRequest,
} from './adapters/webhook.js';
export { createWhatsappAdapter, defaultWhatsappBody } from './adapters/whatsapp.js';
export { type ProfileForTemplates, profileForTemplates, renderTextFields } from './context.js';
export { createDefaultChannels, type EmailDeliveryConfig } from './default-channels.js';
export {
  type CompiledEmailTemplate,
  compileEmailTemplate,
  type EmailTemplateContent,
} from './email/compile.js';
export { messageIdFor, unsubscribeHeaders } from './email/headers.js';
export { htmlToPlainText } from './email/plain-text.js';
export { protectLiquid } from './email/protect-liquid.js';
export { type MessageContext, type RenderedEmail, renderEmail } from './email/render.js';
export { applyTracking, type EmailLinks } from './email/tracking-html.js';
export { formatTemplateIssue, type TemplateIssue, validateEmailTemplate } from './email/validate.js';
export {
  PermanentDeliveryError,
  RetryableDeliveryError,
  TemplateError,
  type TemplateErrorCode,
} from './errors.js';
export { compileFastLiquid, type FastTemplate } from './fast-liquid.js';
export {
  createLiquidEngines,
  defaultLiquidLimits,
  type LiquidEngines,
  type LiquidField,
  type LiquidLimits,
  parseLiquid,
  renderField,
  renderLiquid,
} from './liquid.js';
export {
  type CartItem,
  cartOf,
  type ProductCandidate,
  type RecommendedProduct,
  selectRecommendations,
} from './products.js';
export * from './settings/index.js';
export { CompiledTemplateCache, type TemplateVersionKey } from './template-cache.js';
export * from './tracking/index.js';

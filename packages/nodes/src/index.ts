import { createRegistry, type NodeType, type NodeTypeRegistry } from '@touchline/journey';
import { conditionNodeType } from './condition/node-type.js';
import { exitNodeType } from './exit/node-type.js';
import { notifyTeamNodeType } from './notify-team/node-type.js';
import { profileUpdateNodeType } from './profile-update/node-type.js';
import { sendEmailNodeType } from './send-email/node-type.js';
import { sendInappNodeType } from './send-inapp/node-type.js';
import { sendPushNodeType } from './send-push/node-type.js';
import { sendSmsNodeType } from './send-sms/node-type.js';
import { sendWebhookNodeType } from './send-webhook/node-type.js';
import { sendWhatsappNodeType } from './send-whatsapp/node-type.js';
import { splitAudienceNodeType } from './split-audience/node-type.js';
import { splitRandomNodeType } from './split-random/node-type.js';
import { triggerApiNodeType } from './trigger-api/node-type.js';
import { triggerEventNodeType } from './trigger-event/node-type.js';
import { triggerScheduleNodeType } from './trigger-schedule/node-type.js';
import { triggerSegmentNodeType } from './trigger-segment/node-type.js';
import { waitDurationNodeType } from './wait-duration/node-type.js';
import { waitEventNodeType } from './wait-event/node-type.js';
import { waitUntilNodeType } from './wait-until/node-type.js';

/** Every built-in node type. Adding one: a folder, and one line here. */
export const builtinNodeTypes: readonly NodeType[] = [
  triggerEventNodeType,
  triggerSegmentNodeType,
  triggerScheduleNodeType,
  triggerApiNodeType,
  conditionNodeType,
  splitAudienceNodeType,
  splitRandomNodeType,
  waitDurationNodeType,
  waitUntilNodeType,
  waitEventNodeType,
  sendEmailNodeType,
  sendSmsNodeType,
  sendPushNodeType,
  sendWhatsappNodeType,
  sendInappNodeType,
  sendWebhookNodeType,
  profileUpdateNodeType,
  notifyTeamNodeType,
  exitNodeType,
];

/**
 * A registry of the built-in node types plus `extra` (custom types). Duplicate ids throw.
 *
 * @example
 * const registry = createBuiltinRegistry([addLoyaltyPointsNodeType]);
 * const result = compile(graph, registry);
 */
export function createBuiltinRegistry(extra: readonly NodeType[] = []): NodeTypeRegistry {
  return createRegistry([...builtinNodeTypes, ...extra]);
}

export { type ConditionConfig, conditionConfigSchema, conditionNodeType } from './condition/node-type.js';
export { exitConfigSchema, exitNodeType } from './exit/node-type.js';
export {
  type NotifyTeamConfig,
  notifyTeamConfigSchema,
  notifyTeamNodeType,
} from './notify-team/node-type.js';
export {
  type ProfileUpdateConfig,
  profileUpdateConfigSchema,
  profileUpdateNodeType,
} from './profile-update/node-type.js';
export { type SendEmailConfig, sendEmailConfigSchema, sendEmailNodeType } from './send-email/node-type.js';
export { sendInappNodeType } from './send-inapp/node-type.js';
export { sendPushNodeType } from './send-push/node-type.js';
export { sendSmsNodeType } from './send-sms/node-type.js';
export {
  type SendWebhookConfig,
  sendWebhookConfigSchema,
  sendWebhookNodeType,
} from './send-webhook/node-type.js';
export { sendWhatsappNodeType } from './send-whatsapp/node-type.js';
export { type TemplateSendConfig, templateSendConfigSchema } from './shared/template-send.js';
export {
  type SplitAudienceConfig,
  splitAudienceConfigSchema,
  splitAudienceNodeType,
} from './split-audience/node-type.js';
export {
  randomSplitRules,
  type SplitRandomConfig,
  splitRandomConfigSchema,
  splitRandomNodeType,
} from './split-random/node-type.js';
export { triggerApiConfigSchema, triggerApiNodeType } from './trigger-api/node-type.js';
export {
  type TriggerEventConfig,
  triggerEventConfigSchema,
  triggerEventNodeType,
} from './trigger-event/node-type.js';
export {
  type TriggerScheduleConfig,
  triggerScheduleConfigSchema,
  triggerScheduleNodeType,
} from './trigger-schedule/node-type.js';
export {
  type TriggerSegmentConfig,
  triggerSegmentConfigSchema,
  triggerSegmentNodeType,
} from './trigger-segment/node-type.js';
export {
  type WaitDurationConfig,
  waitDurationConfigSchema,
  waitDurationNodeType,
} from './wait-duration/node-type.js';
export { waitEventNodeType } from './wait-event/node-type.js';
export { type WaitEventConfig, waitEventConfigSchema } from './wait-event/schema.js';
export { type WaitUntilConfig, waitUntilConfigSchema, waitUntilNodeType } from './wait-until/node-type.js';

import { defineTemplateSend } from '../shared/template-send.js';

/** Sends a push notification from a Liquid template; leaves by `suppressed` when a guard stops it. */
export const sendPushNodeType = defineTemplateSend({
  type: 'send.push',
  label: 'Send push notification',
  noun: 'push notification',
});

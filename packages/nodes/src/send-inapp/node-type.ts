import { defineTemplateSend } from '../shared/template-send.js';

/** Sends an in-app message from a Liquid template; leaves by `suppressed` when a guard stops it. */
export const sendInappNodeType = defineTemplateSend({
  type: 'send.inapp',
  label: 'Show in-app message',
  noun: 'in-app message',
});

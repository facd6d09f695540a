import { defineTemplateSend } from '../shared/template-send.js';

/** Sends a WhatsApp message from a Liquid template; leaves by `suppressed` when a guard stops it. */
export const sendWhatsappNodeType = defineTemplateSend({
  type: 'send.whatsapp',
  label: 'Send WhatsApp',
  noun: 'WhatsApp message',
});

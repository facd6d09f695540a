import { defineTemplateSend } from '../shared/template-send.js';

/** Sends a SMS from a Liquid template; leaves by `suppressed` when a guard stops it. */
export const sendSmsNodeType = defineTemplateSend({ type: 'send.sms', label: 'Send SMS', noun: 'SMS' });

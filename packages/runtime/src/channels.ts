/** The outbox channel of each built-in send action. */
export const channelOfAction: Readonly<Record<string, string>> = {
  'send.email': 'email',
  'send.sms': 'sms',
  'send.push': 'push',
  'send.whatsapp': 'whatsapp',
  'send.inapp': 'inapp',
  'send.webhook': 'webhook',
};

import type { Channel, TemplateContent } from './templates-api';

const starterMjml = `<mjml>
  <mj-body background-color="#f6f7fb">
    <mj-section background-color="#ffffff" padding="24px">
      <mj-column>
        <mj-text font-size="22px" font-weight="700">Hi {{ profile.first_name | default: "there" }},</mj-text>
        <mj-text>Thanks for being with us.</mj-text>
        <mj-button href="https://example.com" background-color="#4f46e5">Take a look</mj-button>
        <mj-text font-size="12px" color="#5d6275"><a href="{{ unsubscribe_url }}">Unsubscribe</a></mj-text>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>
`;

/** What a new template of each channel starts with: valid, personalised, short. */
export const starterContent: Record<Channel, TemplateContent> = {
  email: { channel: 'email', subject: 'Hello {{ profile.first_name }}', preheader: '', mjml: starterMjml },
  sms: { channel: 'sms', text: 'Hi {{ profile.first_name }}, ' },
  push: { channel: 'push', title: 'Hi {{ profile.first_name }}', body: 'We saved something for you.' },
  whatsapp: { channel: 'whatsapp', templateName: 'hello_world', language: 'en', parameters: [] },
  inapp: { channel: 'inapp', title: 'Hi {{ profile.first_name }}', body: 'Welcome back.' },
  webhook: {
    channel: 'webhook',
    method: 'POST',
    url: 'https://example.com/hooks/touchline',
    body: '{ "user": "{{ profile.user_id }}" }',
  },
};

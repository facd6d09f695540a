import { describe, expect, it } from 'vitest';
import { bind, problems } from '../../test/node-kit.js';
import { sendWebhookNodeType } from './node-type.js';

describe('send.webhook', () => {
  it('posts by default', () => {
    const instance = bind(sendWebhookNodeType, { url: 'https://crm.example.com/hook' });
    expect(instance.config).toEqual({ url: 'https://crm.example.com/hook', method: 'POST' });
    expect(instance.summary()).toBe('POST https://crm.example.com/hook');
  });

  it('accepts only http(s) URLs and known methods', () => {
    expect(problems(sendWebhookNodeType, { url: 'ftp://example.com' })).toEqual([
      'url: url must be an http(s) URL',
    ]);
    expect(problems(sendWebhookNodeType, { url: 'https://x.io', method: 'TRACE' })).toHaveLength(1);
  });
});

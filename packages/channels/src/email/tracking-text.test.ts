import { describe, expect, it } from 'vitest';
import { trackTextLinks } from './tracking-text.js';

const links = {
  clickUrl: (href: string) => `https://t.test/c?to=${encodeURIComponent(href)}`,
  unsubscribeUrl: 'https://t.test/u/abc',
};
const tracked = (href: string) => links.clickUrl(href);

describe('tracked links in the plain-text part', () => {
  it('sends each http(s) URL through the click redirect, leaving the sentence around it', () => {
    const text =
      'Your cart: https://shop.test/cart?u=1&s=email. Or see (https://shop.test/sale), http://a.test/x!';
    expect(trackTextLinks(text, links)).toBe(
      `Your cart: ${tracked('https://shop.test/cart?u=1&s=email')}. Or see (${tracked('https://shop.test/sale')}), ${tracked('http://a.test/x')}!`,
    );
  });

  it('reads links written as label [url], as the text derived from HTML has them', () => {
    expect(trackTextLinks('Back to your cart [https://shop.test/cart]', links)).toBe(
      `Back to your cart [${tracked('https://shop.test/cart')}]`,
    );
  });

  it('keeps a balanced parenthesis in the URL, the unsubscribe link direct, and other schemes alone', () => {
    expect(trackTextLinks('https://w.test/a_(b)', links)).toBe(tracked('https://w.test/a_(b)'));
    expect(trackTextLinks('Unsubscribe: https://t.test/u/abc', links)).toBe(
      'Unsubscribe: https://t.test/u/abc',
    );
    expect(trackTextLinks('mailto:help@shop.test ftp://f.test', links)).toBe(
      'mailto:help@shop.test ftp://f.test',
    );
  });
});

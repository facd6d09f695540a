/** Tracking for one message: built by the caller (signed tokens), applied here to its HTML. */
export interface EmailLinks {
  /** The open pixel's URL; no pixel when absent. */
  openPixelUrl?: string | undefined;
  /** The tracked redirect for a link's target. */
  clickUrl: (href: string) => string;
  /** One-click unsubscribe: `unsubscribe_url` in Liquid and the `List-Unsubscribe` header. */
  unsubscribeUrl: string;
}

const anchorHref = /(<a\b[^>]*?\shref\s*=\s*)(["'])(https?:\/\/[^"']*)\2/gi;

const decodeAttribute = (value: string) =>
  value.includes('&')
    ? value.replace(/&(amp|quot|#39|#x27|lt|gt);/g, (_, entity: string) =>
        entity === 'amp'
          ? '&'
          : entity === 'quot'
            ? '"'
            : entity === 'lt'
              ? '<'
              : entity === 'gt'
                ? '>'
                : "'",
      )
    : value;

const encodeAttribute = (value: string) =>
  value.replace(/[&"<>]/g, (c) => (c === '&' ? '&amp;' : c === '"' ? '&quot;' : c === '<' ? '&lt;' : '&gt;'));

/**
 * Sends every `<a href="http…">` through {@link EmailLinks.clickUrl}, except the unsubscribe
 * link (it must work in one click, without a redirect), and appends the open pixel.
 */
export function applyTracking(html: string, links: EmailLinks): string {
  let tracked = html.replace(anchorHref, (whole, before: string, quote: string, href: string) => {
    const target = decodeAttribute(href);
    if (target === links.unsubscribeUrl) return whole;
    return `${before}${quote}${encodeAttribute(links.clickUrl(target))}${quote}`;
  });
  if (links.openPixelUrl) {
    const pixel = `<img src="${encodeAttribute(links.openPixelUrl)}" width="1" height="1" alt="" style="display:block;border:0;height:1px;width:1px;" />`;
    const end = tracked.lastIndexOf('</body>');
    tracked = end === -1 ? tracked + pixel : tracked.slice(0, end) + pixel + tracked.slice(end);
  }
  return tracked;
}

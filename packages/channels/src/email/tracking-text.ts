import type { EmailLinks } from './tracking-html.js';

/**
 * An http(s) URL in running text: up to white space, quotes, angle or square brackets (the
 * derived text writes a link as `label [https://…]`).
 */
const bareUrl = /https?:\/\/[^\s<>"'[\]]+/gi;

/** Sentence punctuation after a URL belongs to the sentence; a `)` only when unbalanced. */
function splitTrailing(url: string): [string, string] {
  let end = url.length;
  for (;;) {
    const last = url[end - 1];
    if (last && '.,;:!?'.includes(last)) {
      end--;
      continue;
    }
    if (last === ')') {
      const head = url.slice(0, end);
      if ((head.match(/\(/g) ?? []).length < (head.match(/\)/g) ?? []).length) {
        end--;
        continue;
      }
    }
    return [url.slice(0, end), url.slice(end)];
  }
}

/**
 * The plain-text part's links through {@link EmailLinks.clickUrl}, as the HTML part's are: every
 * http(s) URL in the text except the unsubscribe link (it must work in one click). A reader whose
 * mail client shows the text part is counted like one who clicks in the HTML.
 */
export function trackTextLinks(text: string, links: EmailLinks): string {
  return text.replace(bareUrl, (found) => {
    const [url, trailing] = splitTrailing(found);
    if (url === links.unsubscribeUrl || url.length <= 'https://'.length) return found;
    return `${links.clickUrl(url)}${trailing}`;
  });
}

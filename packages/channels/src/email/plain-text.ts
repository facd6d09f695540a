import { convert, type HtmlToTextOptions } from 'html-to-text';

const keepCase = { uppercase: false };

const options: HtmlToTextOptions = {
  wordwrap: false,
  selectors: [
    // Liquid travels through as tokens: upper-casing headings would change them.
    ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, options: keepCase })),
    { selector: 'table', format: 'block' },
    { selector: 'tr', format: 'block' },
    { selector: 'td', format: 'block' },
    { selector: 'th', format: 'block' },
    { selector: 'img', format: 'skip' },
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
    // The preview text MJML hides at the top of the body.
    { selector: 'div[style*="display:none"]', format: 'skip' },
  ],
};

/** The plain-text part of an email, derived from its HTML (done once per template version). */
export function htmlToPlainText(html: string): string {
  return convert(html, options)
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * MJML is compiled once per template version, with the Liquid left in, and Liquid is rendered
 * per message on the compiled HTML. MJML would drop or reject Liquid between its elements
 * (`{% for item in event.properties.items %}<mj-section>…</mj-section>{% endfor %}`), so each
 * Liquid tag and output is swapped for an inert token before compiling and swapped back after:
 * between elements the token travels in an `<mj-raw>` (which MJML copies through where it
 * stands), inside attributes and text-holding elements (`mj-text`, `mj-button`, …) bare.
 */

/** MJML elements whose content is HTML that MJML copies rather than parses. */
const endingTags = new Set([
  'mj-text',
  'mj-button',
  'mj-table',
  'mj-raw',
  'mj-navbar-link',
  'mj-accordion-title',
  'mj-accordion-text',
  'mj-social-element',
  'mj-style',
  'mj-title',
  'mj-preview',
]);

const liquidSpan = /\{%-?[\s\S]*?-?%\}|\{\{-?[\s\S]*?-?\}\}/g;
const tagName = /<\/?([a-zA-Z][\w-]*)/y;

export interface ProtectedLiquid {
  /** The MJML with every Liquid span replaced by a token. */
  source: string;
  /** Puts the Liquid back into what MJML (or html-to-text) made of {@link source}. */
  restore(output: string): string;
}

export function protectLiquid(mjml: string): ProtectedLiquid {
  let prefix = 'tlq';
  while (mjml.toLowerCase().includes(`__${prefix}`)) prefix += 'x';
  const spans: Array<{ start: number; end: number; text: string }> = [];
  for (const match of mjml.matchAll(liquidSpan)) {
    spans.push({ start: match.index, end: match.index + match[0].length, text: match[0] });
  }
  if (spans.length === 0) return { source: mjml, restore: (output) => output };

  const inline = inlinePositions(mjml, spans);
  let source = '';
  let from = 0;
  spans.forEach((span, index) => {
    const token = `__${prefix}${index}__`;
    // Newlines kept (outside the token) so MJML's error lines still match the source's.
    const newlines = '\n'.repeat(span.text.split('\n').length - 1);
    source += mjml.slice(from, span.start);
    source += inline[index] ? `${token}${newlines}` : `<mj-raw>${token}</mj-raw>${newlines}`;
    from = span.end;
  });
  source += mjml.slice(from);

  // A bare token's newlines travel right behind it (in an attribute value, say): taken out again.
  const token = new RegExp(`(?:<mj-raw>\\s*)?__${prefix}(\\d+)__(?:\\s*</mj-raw>)?(\n*)`, 'gi');
  return {
    source,
    restore: (output) =>
      output.replace(token, (_, index: string, newlines: string) => {
        const span = spans[Number(index)];
        if (!span) return newlines;
        const added = inline[Number(index)] ? span.text.split('\n').length - 1 : 0;
        return span.text + newlines.slice(Math.min(added, newlines.length));
      }),
  };
}

/**
 * For each span, whether it stands inside a tag's attributes or inside a text-holding element
 * (a bare token) rather than between elements (a token in `<mj-raw>`).
 */
function inlinePositions(mjml: string, spans: ReadonlyArray<{ start: number; end: number }>): boolean[] {
  const result: boolean[] = [];
  let inTag = false;
  let quote = '';
  let pendingEnding: string | null = null;
  let ending: string | null = null;
  let next = 0;
  let i = 0;
  while (i < mjml.length) {
    const span = spans[next];
    if (span && i === span.start) {
      result.push(inTag || ending !== null);
      next += 1;
      i = span.end;
      continue;
    }
    const c = mjml[i] as string;
    if (inTag) {
      if (quote) {
        if (c === quote) quote = '';
      } else if (c === '"' || c === "'") {
        quote = c;
      } else if (c === '>') {
        inTag = false;
        if (pendingEnding && mjml[i - 1] !== '/') ending = pendingEnding;
        pendingEnding = null;
      }
    } else if (c === '<') {
      tagName.lastIndex = i;
      const name = tagName.exec(mjml)?.[1]?.toLowerCase();
      inTag = true;
      if (name && mjml[i + 1] === '/') {
        if (name === ending) ending = null;
      } else if (name && ending === null && endingTags.has(name)) {
        pendingEnding = name;
      }
    }
    i += 1;
  }
  while (result.length < spans.length) result.push(false);
  return result;
}

import type { NodeCategory } from '@touchline/journey';

// 16×16 strokes, drawn in currentColor: no icon font to load, nothing missing from a system font.
const paths: Record<NodeCategory, string> = {
  trigger: 'M9 1.5 3.5 9H8l-1 5.5L12.5 7H8z',
  condition: 'M8 1.5 14.5 8 8 14.5 1.5 8z',
  split: 'M8 14.5V9M8 9 3.5 4.5M8 9l4.5-4.5M3.5 4.5V2M3.5 4.5H6M12.5 4.5V2M12.5 4.5H10',
  wait: 'M8 14.5a6.5 6.5 0 1 0 0-13 6.5 6.5 0 0 0 0 13zM8 4.5V8l2.5 2',
  action: 'M1.5 3.5h13v9h-13zM1.5 3.5 8 9l6.5-5.5',
  flow: 'M3.5 3.5h9v9h-9z',
};

const fallbackPath = 'M8 5.5a2.5 2.5 0 1 0 0 5 2.5 2.5 0 0 0 0-5z';
const pathOf = (category: string | undefined) => paths[category as NodeCategory] ?? fallbackPath;

/** The glyph of a node category, for the palette and the settings panel. */
export function CategoryIcon({ category }: { category: string | undefined }) {
  const path = pathOf(category);
  return (
    <svg
      className="tl-category-icon"
      viewBox="0 0 16 16"
      width="12"
      height="12"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.6"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={path} />
    </svg>
  );
}

const imageUrls = new Map<string, string>();

/**
 * The same glyph in white, as a CSS background image for the canvas nodes. An inline SVG per node
 * is a scaled replaced element the browser tracks apart: 500 of them made every frame of a drag
 * cost milliseconds more to composite; a background image is painted with the node.
 */
export function categoryIconImage(category: string | undefined): string {
  const path = pathOf(category);
  let url = imageUrls.get(path);
  if (!url) {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16" fill="none" stroke="#fff" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round"><path d="${path}"/></svg>`;
    url = `url("data:image/svg+xml,${encodeURIComponent(svg)}")`;
    imageUrls.set(path, url);
  }
  return url;
}

import type { NodeTypeDescription } from '@touchline/journey';
import { useContext, useState } from 'react';
import { NODE_TYPE_MIME } from './CanvasFlow';
import { CategoryIcon } from './CategoryIcon';
import { NodeTypesContext } from './canvas-context';
import { categories } from './categories';

/**
 * The steps a journey can use, grouped by category. Drag one onto the canvas, or press Enter or
 * Space on it (or click it) to add it in the middle of the view.
 */
export function Palette({ onAdd }: { onAdd: (nodeType: NodeTypeDescription) => void }) {
  const descriptions = useContext(NodeTypesContext);
  const [query, setQuery] = useState('');
  const needle = query.trim().toLowerCase();
  const matching = [...descriptions.values()].filter(
    (d) => !needle || d.label.toLowerCase().includes(needle) || d.type.includes(needle),
  );

  return (
    <nav className="tl-palette" aria-label="Steps">
      <input
        type="search"
        className="tl-palette-search"
        placeholder="Search steps"
        aria-label="Search steps"
        value={query}
        onChange={(event) => setQuery(event.target.value)}
      />
      {categories.map((category) => {
        const items = matching
          .filter((d) => d.category === category.id)
          .sort((a, b) => a.label.localeCompare(b.label));
        if (items.length === 0) return null;
        return (
          <section key={category.id} className={`tl-palette-group tl-palette-${category.id}`}>
            <h2>
              <CategoryIcon category={category.id} /> {category.name}
            </h2>
            <ul>
              {items.map((d) => (
                <li key={d.type}>
                  <button
                    type="button"
                    className="tl-palette-item"
                    draggable
                    data-node-type={d.type}
                    title={d.description ?? d.label}
                    aria-label={`Add ${d.label}`}
                    onDragStart={(event) => {
                      event.dataTransfer.setData(NODE_TYPE_MIME, d.type);
                      event.dataTransfer.effectAllowed = 'copy';
                    }}
                    onClick={() => onAdd(d)}
                  >
                    {d.label}
                  </button>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
      <p className="tl-palette-hint">Drag a step onto the canvas, or press Enter to add it.</p>
    </nav>
  );
}

export type Shortcut = 'undo' | 'redo' | 'copy' | 'paste' | 'delete' | 'selectAll';

interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/** The canvas command a key press asks for: Ctrl on Linux and Windows, Cmd on macOS. */
export function shortcutOf(event: KeyPress): Shortcut | null {
  if (event.altKey) return null;
  const key = event.key.toLowerCase();
  const mod = event.ctrlKey || event.metaKey;
  if (!mod) return key === 'delete' || key === 'backspace' ? 'delete' : null;
  if (key === 'z') return event.shiftKey ? 'redo' : 'undo';
  if (key === 'y' && !event.shiftKey) return 'redo';
  if (key === 'c' && !event.shiftKey) return 'copy';
  if (key === 'v' && !event.shiftKey) return 'paste';
  if (key === 'a' && !event.shiftKey) return 'selectAll';
  return null;
}

/** Typing into a field keeps the field's own undo, copy and delete. */
export function isEditableTarget(target: EventTarget | null): boolean {
  if (!target || typeof (target as HTMLElement).closest !== 'function') return false;
  const element = target as HTMLElement;
  return Boolean(
    element.closest(
      'input, textarea, select, [contenteditable=""], [contenteditable="true"], [role="dialog"]',
    ),
  );
}

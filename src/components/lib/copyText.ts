/**
 * Copies `text` to the clipboard where the browser allows it. Where it does not (no
 * navigator.clipboard on plain HTTP from a LAN address, or permission refused), resolves 'manual':
 * the caller then shows the text selected, for Ctrl+C. Never throws.
 */
export async function copyText(text: string): Promise<'copied' | 'manual'> {
  try {
    if (typeof navigator === 'undefined' || !navigator.clipboard?.writeText) return 'manual';
    await navigator.clipboard.writeText(text);
    return 'copied';
  } catch {
    return 'manual';
  }
}

/** Selects the text of `el` on the page, for a copy by hand. */
export function selectContents(el: Element | null): void {
  if (!el) return;
  if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) {
    el.focus();
    el.select();
    return;
  }
  const range = document.createRange();
  range.selectNodeContents(el);
  const sel = getSelection();
  sel?.removeAllRanges();
  sel?.addRange(range);
}

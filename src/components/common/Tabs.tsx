import { useDeferredValue, useRef, type KeyboardEvent, type ReactNode, type Ref } from 'react';
import './Tabs.css';

export interface TabItem {
  readonly id: string;
  readonly label: string;
  readonly render: () => ReactNode;
}

/**
 * Tabs as the ARIA pattern describes them: a tablist whose arrow keys, Home and End move between
 * tabs; only the chosen panel is rendered. The tab itself turns at once; its panel is rendered as
 * deferred (interruptible) work, so a heavy panel (a long runs table, a chart) never blocks the
 * page in one long task. The strip and the panel are siblings (no wrapper), so the page can lay
 * the strip out on its own (sticky); `stripRef` is the strip's element.
 */
export function Tabs({
  items,
  selected,
  onSelect,
  label,
  stripRef,
}: {
  items: readonly TabItem[];
  selected: string;
  onSelect: (id: string) => void;
  label: string;
  stripRef?: Ref<HTMLDivElement>;
}) {
  const refs = useRef(new Map<string, HTMLButtonElement>());
  const current = items.find((t) => t.id === selected) ?? items[0];
  const shownId = useDeferredValue(current?.id);
  const shown = items.find((t) => t.id === shownId) ?? current;
  const move = (e: KeyboardEvent) => {
    const i = items.findIndex((t) => t.id === current?.id);
    const to =
      e.key === 'ArrowRight'
        ? i + 1
        : e.key === 'ArrowLeft'
          ? i - 1
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? items.length - 1
              : null;
    if (to === null) return;
    e.preventDefault();
    const next = items[(to + items.length) % items.length];
    if (!next) return;
    onSelect(next.id);
    refs.current.get(next.id)?.focus();
  };
  return (
    <>
      <div role="tablist" aria-label={label} className="tab-list" onKeyDown={move} ref={stripRef}>
        {items.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`tab-${t.id}`}
            data-testid={`tab-${t.id}`}
            aria-selected={t.id === current?.id}
            aria-controls={`tabpanel-${t.id}`}
            tabIndex={t.id === current?.id ? 0 : -1}
            ref={(el) => {
              if (el) refs.current.set(t.id, el);
              else refs.current.delete(t.id);
            }}
            onClick={() => onSelect(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      {shown ? (
        <div
          role="tabpanel"
          id={`tabpanel-${shown.id}`}
          aria-labelledby={`tab-${shown.id}`}
          className="tab-panel"
          aria-busy={shown.id !== current?.id}
        >
          {shown.render()}
        </div>
      ) : null}
    </>
  );
}

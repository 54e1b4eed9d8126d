import { useId, useState } from 'react';
import { GLOSSARY, type Term } from '../lib/glossary';

/**
 * A small "?" next to a term: its explanation shows on hover and on keyboard focus, and is the
 * button's accessible description.
 */
export function Hint({ term, label }: { term: Term; label: string }) {
  const id = useId();
  // Escape hides the explanation without moving the focus or the pointer (and stops there).
  const [hidden, setHidden] = useState(false);
  return (
    <span className={hidden ? 'hint dismissed' : 'hint'} onMouseLeave={() => setHidden(false)}>
      <button
        type="button"
        className="hint-button"
        aria-label={`What is ${label}?`}
        aria-describedby={id}
        onBlur={() => setHidden(false)}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && !hidden) {
            e.preventDefault();
            setHidden(true);
          }
        }}
      >
        ?
      </button>
      <span role="tooltip" id={id} className="hint-text">
        {GLOSSARY[term]}
      </span>
    </span>
  );
}

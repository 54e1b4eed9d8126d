import { useId } from 'react';
import { GLOSSARY, type Term } from './glossary';

/**
 * A small "?" next to a term: its explanation shows on hover and on keyboard focus, and is the
 * button's accessible description.
 */
export function Hint({ term, label }: { term: Term; label: string }) {
  const id = useId();
  return (
    <span className="hint">
      <button type="button" className="hint-button" aria-label={`What is ${label}?`} aria-describedby={id}>
        ?
      </button>
      <span role="tooltip" id={id} className="hint-text">
        {GLOSSARY[term]}
      </span>
    </span>
  );
}

/** One bar per class probability, the largest highlighted. */
export function ProbabilityBars({ probs, names }: { probs: Float32Array | null; names: readonly string[] }) {
  let top = -1;
  if (probs)
    for (let c = 0; c < probs.length; c++) if (top < 0 || (probs[c] as number) > (probs[top] as number)) top = c;
  return (
    <ol
      className={`prob-bars${names.some((n) => n.length > 1) ? ' wide' : ''}`}
      start={0}
      aria-label="Class probabilities"
      data-testid="probabilities"
    >
      {Array.from({ length: 10 }, (_, c) => {
        const p = probs ? (probs[c] as number) : 0;
        return (
          <li key={c} className={c === top ? 'is-top' : undefined}>
            <span className="prob-digit">{names[c] ?? c}</span>
            <span className="prob-track">
              <span className="prob-fill" style={{ width: `${(p * 100).toFixed(1)}%` }} />
            </span>
            <span className="prob-value">{probs ? p.toFixed(3) : '–'}</span>
          </li>
        );
      })}
    </ol>
  );
}

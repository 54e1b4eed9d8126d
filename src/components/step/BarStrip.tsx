import { stepNumber } from '../../core/step/step';

/**
 * One layer's numbers as a strip of small bars, one per unit (the first `shown`), each scaled to
 * the strip's largest |value|: up for positive, down for negative. Each bar is a button that picks
 * its unit; its value is in its name and title.
 */
export function BarStrip({
  values,
  shown,
  label,
  chosen,
  onPick,
  testId,
}: {
  values: Float32Array;
  shown: number;
  label: string;
  chosen: number | null;
  onPick: (unit: number) => void;
  testId: string;
}) {
  let max = 0;
  for (let i = 0; i < shown; i++) max = Math.max(max, Math.abs(values[i] as number));
  const bars = Array.from({ length: shown }, (_, i) => values[i] as number);
  return (
    <div className="bar-strip" role="group" aria-label={label} data-testid={testId}>
      {bars.map((v, i) => {
        const h = max > 0 ? Math.abs(v) / max : 0;
        const text = stepNumber(v);
        return (
          <button
            key={i}
            type="button"
            className={`bar${chosen === i ? ' chosen' : ''}`}
            aria-label={`Unit ${i + 1}: ${text}`}
            aria-pressed={chosen === i}
            title={`unit ${i + 1}: ${text}`}
            data-value={text}
            onClick={() => onPick(i)}
          >
            <span className={v < 0 ? 'neg' : 'pos'} style={{ height: `${(h * 50).toFixed(1)}%` }} />
          </button>
        );
      })}
    </div>
  );
}

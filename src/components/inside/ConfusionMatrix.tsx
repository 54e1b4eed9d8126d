import { useMemo } from 'react';
import { confusionMatrix } from '../../core/runs/metrics';
import { useActions, useLabState } from '../../store/hooks';

/** Test-set counts by true and predicted class; a click on a mistake cell filters the gallery. */
export function ConfusionMatrix({
  labels,
  preds,
  names,
}: {
  labels: Uint8Array;
  preds: Uint8Array;
  names: readonly string[];
}) {
  const m = useMemo(() => confusionMatrix(labels, preds), [labels, preds]);
  const { mistakes } = useLabState('mistakes');
  const { showMistakes: show } = useActions();
  const correct = m.reduce((s, row, i) => s + (row[i] ?? 0), 0);
  return (
    <div>
      <h3>Confusion matrix on the 10,000 test images</h3>
      <p className="small muted">
        Rows: the true class; columns: the predicted one. {correct.toLocaleString('en-US')} right,{' '}
        {(labels.length - correct).toLocaleString('en-US')} wrong. Click a cell off the diagonal to see those mistakes.
      </p>
      <div className="table-scroll">
        <table className="confusion" data-testid="confusion-matrix">
          <thead>
            <tr>
              <th scope="col">true ↓ / predicted →</th>
              {m.map((_, p) => (
                <th key={p} scope="col" title={names[p]}>
                  {names.length && names[p] !== String(p) ? `${p} ${names[p]}` : p}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {m.map((row, t) => {
              const rowTotal = row.reduce((a, b) => a + b, 0) || 1;
              return (
                <tr key={t}>
                  <th scope="row">{names[t] !== String(t) ? `${t} ${names[t]}` : t}</th>
                  {row.map((n, p) => {
                    const share = n / rowTotal;
                    const diagonal = t === p;
                    const picked = mistakes.cell?.label === t && mistakes.cell.pred === p;
                    const bg = diagonal
                      ? `rgba(37, 99, 235, ${0.1 + 0.6 * share})`
                      : n > 0
                        ? `rgba(220, 38, 38, ${Math.min(0.45, 0.08 + share * 4)})`
                        : undefined;
                    return (
                      <td key={p} style={bg ? { background: bg } : undefined} className={picked ? 'picked' : undefined}>
                        {diagonal || n === 0 ? (
                          n
                        ) : (
                          <button
                            type="button"
                            className="cell"
                            data-testid={`confusion-cell-${t}-${p}`}
                            aria-label={`${n} images of ${t} predicted as ${p}: show them`}
                            onClick={() => show({ label: t, pred: p })}
                          >
                            {n}
                          </button>
                        )}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}

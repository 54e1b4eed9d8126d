import { useMemo } from 'react';
import type { Experiment } from '../../core/experiments/experiments';
import type { DatasetName } from '../../core/network/spec';
import type { Interval } from '../../core/experiments/stats';
import {
  shownVariants,
  variantFindings,
  variantTable,
  variantTableToCsv,
  variantTableToJson,
} from '../../core/experiments/variantResults';
import { VARIANTS, type VariantId } from '../../core/experiments/variants';
import { useRunList } from '../../store/hooks';
import { downloadText } from '../lib/download';

const interval = (i: Interval) => {
  if (i.n === 0) return '–';
  if (i.n < 2) return `${i.mean.toFixed(3)} (1 run)`;
  return `${i.mean.toFixed(3)} [${i.low.toFixed(3)}, ${i.high.toFixed(3)}]`;
};

/**
 * The article's setup and each variant side by side per config (mean and 95 % t-interval over the
 * seeds), the findings generated from those numbers, and exports.
 */
export function VariantResults({
  experiment,
  quick,
  dataset,
  ticked,
}: {
  experiment: Experiment;
  quick: boolean;
  dataset: DatasetName;
  ticked: readonly VariantId[];
}) {
  const runs = useRunList();
  const variants = useMemo(
    () => shownVariants(experiment, runs, quick, dataset, ticked),
    [experiment, runs, quick, dataset, ticked],
  );
  const rows = useMemo(
    () => variantTable(experiment, runs, quick, dataset, variants),
    [experiment, runs, quick, dataset, variants],
  );
  const findings = useMemo(() => variantFindings(rows, variants, quick), [rows, variants, quick]);
  if (variants.length === 0) return null;
  const stamp = `mlp-lab-${experiment.id}-variants-${dataset}${quick ? '-quick' : ''}`;
  return (
    <div className="variant-results">
      <h3>Variants: the article’s setup with one assumption flipped {quick ? '(quick mode)' : ''}</h3>
      <p className="small muted">
        Each cell: mean test accuracy and its 95 % interval over the seeds (Student’s t: mean ± t(0.975, n − 1) · s /
        √n, cut to 0..1), or the single run.
      </p>
      <VariantTable variants={variants} rows={rows} />
      <h3>Findings</h3>
      <ul data-testid="findings" className="findings">
        {findings.map((f) => (
          <li key={f}>{f}</li>
        ))}
      </ul>
      <p className="buttons">
        <button
          type="button"
          onClick={() => downloadText(`${stamp}.csv`, variantTableToCsv(experiment, rows, quick, dataset), 'text/csv')}
        >
          Variants CSV
        </button>
        <button
          type="button"
          onClick={() =>
            downloadText(
              `${stamp}.json`,
              variantTableToJson(experiment, rows, findings, quick, dataset, Date.now()),
              'application/json',
            )
          }
        >
          Variants JSON
        </button>
      </p>
    </div>
  );
}

/** Per config, the article's setup and each variant: mean and interval. */
function VariantTable({ variants, rows }: { variants: readonly VariantId[]; rows: ReturnType<typeof variantTable> }) {
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label="Variant table">
      <table data-testid="variant-results">
        <thead>
          <tr>
            <th>hidden layers</th>
            <th>article’s setup</th>
            {variants.map((v) => (
              <th key={v} data-variant={v}>
                {VARIANTS[v].label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.config.key} data-key={r.config.key}>
              <td>{r.label}</td>
              {r.cells.map((c) => (
                <td key={c.variant ?? 'article'} data-variant={c.variant ?? 'article'} data-values={c.values.join(' ')}>
                  {interval(c.interval)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

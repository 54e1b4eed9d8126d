import { Fragment } from 'react';
import type { experimentResults } from '../../core/experiments/experimentResults';
import { KERAS_MEASURED_WITH } from '../../core/experiments/kerasReference';
import { againstPublished, publishedSummary } from '../../core/experiments/published';
import { formatCount } from '../../core/network/params';
import { duration } from '../lib/format';

/** Columns of the table against the papers: what differs spans them all, on a line of its own under each row. */
const PUBLISHED_COLUMNS = 12;

export type ResultRow = ReturnType<typeof experimentResults>[number];

const pct = (x: number | null, digits = 3) => (x === null ? '–' : x.toFixed(digits));
const signed = (x: number | null) =>
  x === null ? '–' : Math.abs(x * 100) < 0.05 ? '0.0 pt' : `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)} pt`;

/**
 * The results table: a row per config. Against the article: its number, the difference and real
 * Keras's band. Against the papers (`published`, experiment 9): the published number and its
 * source, the verdict, what differs, and the time a run takes here.
 */
export function ResultsTable({ rows, published }: { rows: readonly ResultRow[]; published: boolean }) {
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label="Results table">
      <table data-testid="experiment-results">
        <thead>
          <tr>
            <th>hidden layers</th>
            <th>epochs</th>
            <th>params</th>
            <th>runs</th>
            <th>test acc (mean)</th>
            <th>95 % interval (t, over seeds)</th>
            <th>range</th>
            <th>{published ? 'published' : 'article'}</th>
            <th>difference</th>
            {published ? (
              <>
                <th>against it</th>
                <th>time per run</th>
              </>
            ) : (
              <th>
                <abbr
                  title={`Real Keras, the same setup and data: mean and range over 5 seeds (${KERAS_MEASURED_WITH})`}
                >
                  Keras, 5 seeds
                </abbr>
              </th>
            )}
            <th title="Wall seconds per epoch, the mean over the runs; a run trained with others in one step counts as its share of the group's time">
              s/epoch
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) =>
            published ? (
              <Fragment key={r.config.key}>
                <ResultsRow r={r} published />
                <tr className="differs-row" data-differs={r.config.key}>
                  <td colSpan={PUBLISHED_COLUMNS} className="small" data-testid="result-differs">
                    <span className="muted">What differs from the paper:</span> {r.config.differs ?? '–'}
                    <PaperHours r={r} />
                  </td>
                </tr>
              </Fragment>
            ) : (
              <ResultsRow key={r.config.key} r={r} published={false} />
            ),
          )}
        </tbody>
      </table>
    </div>
  );
}

/** One config's results. */
function ResultsRow({ r, published }: { r: ResultRow; published: boolean }) {
  return (
    <tr data-key={r.config.key}>
      <td className={r.config.source ? 'wrap' : undefined}>
        {r.label}
        {r.config.source ? (
          <>
            <br />
            <span className="small muted">{r.config.source}</span>
          </>
        ) : null}
      </td>
      <td>
        {r.config.epochs}
        {r.config.batchSize !== 128 ? ` (batch ${r.config.batchSize})` : ''}
      </td>
      <td>{formatCount(r.params)}</td>
      <td>{r.runs}</td>
      <td
        data-testid="result-mean"
        className={r.outsideKeras ? 'outside-keras' : undefined}
        title={
          r.outsideKeras
            ? 'Outside the Keras band: this lab’s 95 % interval does not reach the range of Keras’s 5 seeds'
            : undefined
        }
      >
        {pct(r.mean, 4)}
        {r.outsideKeras ? ' ≠ Keras' : ''}
      </td>
      <td data-testid="result-interval">{r.low === null || r.high === null ? '–' : `${pct(r.low)}–${pct(r.high)}`}</td>
      <td>{r.min === null ? '–' : `${pct(r.min)}–${pct(r.max)}`}</td>
      <td data-testid="result-article">
        {pct(r.article, published ? 4 : 3)}
        {published && r.article !== null ? (
          <span className="small muted">
            <br />
            {((1 - r.article) * 100).toFixed(2)} % error
          </span>
        ) : null}
      </td>
      <td>{signed(r.diff)}</td>
      {published ? (
        <>
          <td data-testid="result-verdict" className="verdict">
            {againstPublished(r.diff)}
          </td>
          <td data-testid="result-time">{r.secondsPerRun === null ? '–' : duration(r.secondsPerRun)}</td>
        </>
      ) : (
        <td data-testid="result-keras">
          {r.keras ? `${pct(r.keras.mean)} (${pct(r.keras.min)}–${pct(r.keras.max)})` : '–'}
        </td>
      )}
      <td>{r.secondsPerEpoch === null ? '–' : r.secondsPerEpoch.toFixed(1)}</td>
    </tr>
  );
}

/** After what differs, for a row whose paper says how long it trained: that length, at this row's measured speed. */
function PaperHours({ r }: { r: ResultRow }) {
  if (r.paperHours === null || r.config.paperUpdates === undefined) return null;
  return (
    <span data-testid="result-paper-hours">
      {' '}
      At this row’s speed, the paper’s {formatCount(r.config.paperUpdates)} updates would take about{' '}
      {Math.round(r.paperHours)} h here.
    </span>
  );
}

/** Experiment 9: which rows the lab matched here, and which it fell short of (from the table's numbers). */
export function PublishedSummary({ rows }: { rows: readonly ResultRow[] }) {
  const words = publishedSummary(rows);
  return words === null ? null : (
    <p className="small" data-testid="published-summary">
      {words}
    </p>
  );
}

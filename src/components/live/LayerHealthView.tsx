import { memo, useDeferredValue, useEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { thin, type HealthSample, type LayerHealth } from '../../core/health';
import type { Activation } from '../../core/spec';
import { useLab } from '../../store/context';
import { selectHealth, selectRunConfig } from '../../store/selectors';
import { drawSoon } from '../common/frameQueue';
import { CLIPPED_RGB, DEAD_RGB, logPosition, NONE_RGB, SATURATED_RGB, sequential, share } from './colors';

/** Columns drawn per heat map at most (older samples are thinned to fit). */
const MAX_COLUMNS = 120;

type Rgb = readonly [number, number, number];

interface Metric {
  readonly key: 'grad' | 'update' | 'share';
  readonly title: string;
  readonly scale: string;
  readonly colour: (l: LayerHealth, s: HealthSample, isOutput: boolean) => Rgb;
}

const METRICS: readonly Metric[] = [
  { key: 'grad', title: 'Gradient size', scale: 'log, 10⁻⁵ … 10⁻¹', colour: (l) => (l.gradRms > 0 ? sequential(logPosition(l.gradRms, -5, -1)) : [0, 0, 0]) },
  { key: 'update', title: 'Step ÷ weights', scale: 'log, 10⁻⁶ … 10⁻²', colour: (l) => (l.updateRatio > 0 ? sequential(logPosition(l.updateRatio, -6, -2)) : [0, 0, 0]) },
  {
    key: 'share',
    title: 'Saturated · dead',
    scale: '0 … 100 %',
    colour: (l, s, isOutput) =>
      isOutput ? share(s.clipped, CLIPPED_RGB) : l.saturated !== null ? share(l.saturated, SATURATED_RGB) : l.dead !== null ? share(l.dead, DEAD_RGB) : NONE_RGB,
  },
];

const sci = (v: number) => (v > 0 ? v.toExponential(1) : '0');
const pct = (v: number | null) => (v === null ? '–' : `${Math.round(v * 100)} %`);

function HeatMap({ metric, columns, rows, cursor, onCursor }: { metric: Metric; columns: readonly HealthSample[]; rows: number; cursor: number | null; onCursor: (i: number | null) => void }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const width = Math.max(1, columns.length);
  useEffect(() => {
    // Drawn in a coming frame, one canvas per frame, not in React's commit: live updates of the
    // three maps never add up to one long task.
    const draw = () => {
      const ctx = ref.current?.getContext('2d', { willReadFrequently: true });
      if (!ctx) return;
      const img = ctx.createImageData(width, rows);
      columns.forEach((s, x) => {
        for (let r = 0; r < rows; r++) {
          const l = s.layers[r];
          const rgb = l ? metric.colour(l, s, r === rows - 1) : NONE_RGB;
          const at = (r * width + x) * 4;
          img.data[at] = rgb[0];
          img.data[at + 1] = rgb[1];
          img.data[at + 2] = rgb[2];
          img.data[at + 3] = 255;
        }
      });
      ctx.putImageData(img, 0, 0);
    };
    return drawSoon(ref, draw);
  }, [columns, rows, width, metric]);
  const pick = (e: PointerEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    const i = Math.floor(((e.clientX - r.left) / r.width) * columns.length);
    onCursor(Math.max(0, Math.min(columns.length - 1, i)));
  };
  return (
    <div className="heat">
      <div className="heat-title">
        {metric.title} <span className="muted">({metric.scale})</span>
      </div>
      <div className="heat-frame">
        <canvas
          ref={ref}
          width={width}
          height={rows}
          className="heat-canvas"
          style={{ height: rows * 14 }}
          data-metric={metric.key}
          role="img"
          aria-label={`${metric.title} per layer over time`}
          onPointerMove={pick}
          onPointerDown={pick}
          onPointerLeave={() => onCursor(null)}
        />
        {cursor !== null && columns.length > 0 ? <span className="heat-cursor" style={{ left: `${((cursor + 0.5) / columns.length) * 100}%` }} /> : null}
      </div>
    </div>
  );
}

/**
 * Every layer's health over time as three small heat maps (layers × time): gradient size,
 * update-to-weight ratio, and saturated (sigmoid, tanh) or dead (ReLU) units; the output row of the
 * last shows the share of images that are confidently wrong. The numbers of the newest sample, or
 * of the one under the pointer or the keyboard cursor, are in the table below.
 */
export const LayerHealthView = memo(function LayerHealthView() {
  const all = useDeferredValue(useLab(selectHealth));
  const config = useLab(selectRunConfig);
  const columns = useMemo(() => thin(all, MAX_COLUMNS), [all]);
  const [cursor, setCursor] = useState<number | null>(null);
  const activations: readonly Activation[] = config?.layers.map((l) => l.activation) ?? [];
  const rows = activations.length + 1;
  const shown = columns[cursor ?? columns.length - 1];
  const names = [...activations.map((a, i) => `${i + 1} ${a}`), 'output'];
  const key = (e: KeyboardEvent) => {
    if (columns.length === 0) return;
    const at = cursor ?? columns.length - 1;
    const to = e.key === 'ArrowLeft' ? at - 1 : e.key === 'ArrowRight' ? at + 1 : e.key === 'Home' ? 0 : e.key === 'End' ? columns.length - 1 : e.key === 'Escape' ? null : undefined;
    if (to === undefined) return;
    e.preventDefault();
    setCursor(to === null ? null : Math.max(0, Math.min(columns.length - 1, to)));
  };
  return (
    <section className="panel health" aria-labelledby="health-title" data-testid="layer-health" data-samples={all.length}>
      <h2 id="health-title">Layer health</h2>
      {!config ? (
        <p className="small muted empty">
          While a network trains, each layer’s gradient, step size and saturated or dead units fill in here every few batches, left to right.
        </p>
      ) : (
        <>
          <div
            className="heat-grid"
            tabIndex={0}
            role="group"
            aria-label="Layer health heat maps: left and right arrows move through time, the table below gives the numbers"
            onKeyDown={key}
            onBlur={() => setCursor(null)}
          >
            <ol className="heat-rows" aria-hidden="true">
              {names.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ol>
            {METRICS.map((m) => (
              <HeatMap key={m.key} metric={m} columns={columns} rows={rows} cursor={cursor} onCursor={setCursor} />
            ))}
          </div>
          <HealthTable sample={shown ?? null} names={names} latest={cursor === null} />
        </>
      )}
    </section>
  );
});

/** The numbers of one sample (laid out before the first arrives, so the page does not jump). */
function HealthTable({ sample, names, latest }: { sample: HealthSample | null; names: readonly string[]; latest: boolean }) {
  return (
    <table className="health-table" data-testid="health-table">
      <caption className="small muted">
        {sample ? `${latest ? 'Newest sample' : 'Sample'}: epoch ${sample.x.toFixed(2)}` : 'Measuring the first batches…'}
        {sample && sample.clipped > 0 ? ` · confidently wrong: ${pct(sample.clipped)} of the batch` : ''}
      </caption>
      <thead>
        <tr>
          <th scope="col">layer</th>
          <th scope="col">gradient (RMS)</th>
          <th scope="col">step ÷ weights</th>
          <th scope="col">mean output</th>
          <th scope="col">saturated · dead</th>
        </tr>
      </thead>
      <tbody>
        {names.map((name, i) => {
          const l = sample?.layers[i];
          return (
            <tr key={i} data-layer={i + 1}>
              <th scope="row">{name}</th>
              <td>{l ? sci(l.gradRms) : '–'}</td>
              <td>{l ? sci(l.updateRatio) : '–'}</td>
              <td>{l ? l.actMean.toFixed(2) : '–'}</td>
              <td data-testid={`health-share-${i + 1}`}>{!l ? '–' : l.saturated !== null ? `${pct(l.saturated)} sat.` : l.dead !== null ? `${pct(l.dead)} dead` : '–'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

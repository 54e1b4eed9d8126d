import {
  memo,
  useDeferredValue,
  useEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type PointerEvent,
  type ReactNode,
} from 'react';
import { healthCells, percent } from '../../core/diagnosis';
import type { HealthSample, LayerHealth } from '../../core/diagnosis/health';
import type { Activation } from '../../core/network/spec';
import { useShown } from '../../store/hooks';
import { drawSoon } from '../lib/frameQueue';
import { LogKey, LOG_RANGES, ShareKey } from './HealthKeys';
import { BLANK_RGB, CLIPPED_RGB, DEAD_RGB, logPosition, NONE_RGB, SATURATED_RGB, sequential, share } from './colors';
import './LayerHealthView.css';

/** Columns of each heat map: the run's epochs from 0 to the end, like the charts' x axis. */
const COLUMNS = 120;

type Rgb = readonly [number, number, number];

interface Metric {
  readonly key: 'grad' | 'update' | 'share';
  readonly title: string;
  readonly colour: (l: LayerHealth, s: HealthSample, isOutput: boolean) => Rgb;
}

const { grad: GRAD, update: UPDATE } = LOG_RANGES;

const METRICS: readonly Metric[] = [
  {
    key: 'grad',
    title: 'Gradient size',
    colour: (l) => (l.gradRms > 0 ? sequential(logPosition(l.gradRms, ...GRAD)) : [0, 0, 0]),
  },
  {
    key: 'update',
    title: 'Step ÷ weights',
    colour: (l) => (l.updateRatio > 0 ? sequential(logPosition(l.updateRatio, ...UPDATE)) : [0, 0, 0]),
  },
  {
    key: 'share',
    title: 'Saturated · dead',
    colour: (l, s, isOutput) =>
      isOutput
        ? share(s.clipped, CLIPPED_RGB)
        : l.saturated !== null
          ? share(l.saturated, SATURATED_RGB)
          : l.dead !== null
            ? share(l.dead, DEAD_RGB)
            : NONE_RGB,
  },
];

/** A map's colour key: its log scale's decades, or the share's colours for these layers. */
const legendOf = (m: Metric, activations: readonly Activation[]) =>
  m.key === 'share' ? <ShareKey activations={activations} /> : <LogKey metric={m.key} title={m.title} />;

// The diagnosis quotes these cells: the same formatting functions write both (core/diagnosis/numbers.ts).
const pct = (v: number | null) => (v === null ? '–' : percent(v));

/**
 * The sample shown in each column: the newest one taken at or before the column's end, blank
 * before the first sample and after the newest (the run has not got there yet).
 */
function columnSamples(samples: readonly HealthSample[], epochs: number): (HealthSample | null)[] {
  const out: (HealthSample | null)[] = [];
  const newest = samples.at(-1);
  let k = -1;
  for (let c = 0; c < COLUMNS; c++) {
    const from = (c / COLUMNS) * epochs;
    const to = ((c + 1) / COLUMNS) * epochs;
    while (k + 1 < samples.length && (samples[k + 1] as HealthSample).x <= to) k++;
    out.push(k >= 0 && newest && from <= newest.x ? (samples[k] as HealthSample) : null);
  }
  return out;
}

/** The sample taken at or just before time `t` (epochs), else the first. */
function sampleAt(samples: readonly HealthSample[], t: number): HealthSample | undefined {
  let best: HealthSample | undefined;
  for (const s of samples) if (s.x <= t + 1e-9) best = s;
  return best ?? samples[0];
}

function HeatMap({
  metric,
  legend,
  cells,
  rows,
  cursor,
  epochs,
  onCursor,
}: {
  metric: Metric;
  /** The map's colour key, under it. */
  legend: ReactNode;
  cells: readonly (HealthSample | null)[];
  rows: number;
  cursor: number | null;
  epochs: number;
  onCursor: (t: number | null) => void;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    // Drawn in a coming frame, one canvas per frame, not in React's commit: live updates of the
    // three maps never add up to one long task. The canvas keeps its size, so it is never cleared
    // by a re-render between draws.
    const draw = () => {
      const ctx = ref.current?.getContext('2d', { willReadFrequently: true });
      if (!ctx) return;
      const img = ctx.createImageData(COLUMNS, rows);
      cells.forEach((s, x) => {
        for (let r = 0; r < rows; r++) {
          const l = s?.layers[r];
          const rgb = s && l ? metric.colour(l, s, r === rows - 1) : BLANK_RGB;
          const at = (r * COLUMNS + x) * 4;
          img.data[at] = rgb[0];
          img.data[at + 1] = rgb[1];
          img.data[at + 2] = rgb[2];
          img.data[at + 3] = 255;
        }
      });
      ctx.putImageData(img, 0, 0);
    };
    return drawSoon(ref, draw);
  }, [cells, rows, metric]);
  const pick = (e: PointerEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    onCursor(Math.max(0, Math.min(1, (e.clientX - r.left) / r.width)) * epochs);
  };
  return (
    <div className="heat">
      <div className="heat-title">{metric.title}</div>
      <div className="heat-frame">
        <canvas
          ref={ref}
          width={COLUMNS}
          height={rows}
          className="heat-canvas"
          style={{ height: rows * 14 }}
          data-metric={metric.key}
          role="img"
          aria-label={`${metric.title} per layer over the run's ${epochs} epochs`}
          onPointerMove={pick}
          onPointerDown={pick}
          onPointerLeave={() => onCursor(null)}
        />
        {cursor !== null ? (
          <span className="heat-cursor" style={{ left: `${(cursor / Math.max(1e-9, epochs)) * 100}%` }} />
        ) : null}
      </div>
      {legend}
    </div>
  );
}

/**
 * Every layer's health over the run as three small heat maps (layers × epochs, like the charts'
 * x axis): gradient size, update-to-weight ratio, and saturated (sigmoid, tanh) or dead (ReLU)
 * units; the output row of the last shows the share of the batch that is confidently wrong. The
 * table gives the numbers of the newest sample, or of the one under the pointer or the keyboard
 * cursor (arrow keys step from sample to sample).
 */
export const LayerHealthView = memo(function LayerHealthView() {
  const { health, config } = useShown('health', 'config');
  const all = useDeferredValue(health);
  const epochs = config?.epochs ?? 1;
  const cells = useMemo(() => columnSamples(all, epochs), [all, epochs]);
  // The time (epochs) the pointer or the keyboard points at; null: the newest sample.
  const [cursor, setCursor] = useState<number | null>(null);
  const activations: readonly Activation[] = config?.layers.map((l) => l.activation) ?? [];
  const rows = activations.length + 1;
  const shown = cursor === null ? all.at(-1) : sampleAt(all, cursor);
  const names = [...activations.map((a, i) => `${i + 1} ${a}`), 'output'];
  const key = (e: KeyboardEvent) => {
    if (all.length === 0) return;
    const at = shown ? all.indexOf(shown) : all.length - 1;
    const to =
      e.key === 'ArrowLeft'
        ? at - 1
        : e.key === 'ArrowRight'
          ? at + 1
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? all.length - 1
              : null;
    if (e.key === 'Escape' && cursor !== null) {
      // Escape first lets go of the cursor; with none, it stops the run (the control bar's).
      e.preventDefault();
      setCursor(null);
      return;
    }
    if (to === null) return;
    e.preventDefault();
    setCursor((all[Math.max(0, Math.min(all.length - 1, to))] as HealthSample).x);
  };
  return (
    <section
      className="panel health"
      aria-labelledby="health-title"
      data-testid="layer-health"
      data-samples={all.length}
    >
      <h2 id="health-title">Layer health</h2>
      {!config ? (
        <p className="small muted empty">
          While a network trains, each layer’s gradient, step size and saturated or dead units fill in here every few
          batches, left to right.
        </p>
      ) : (
        <>
          <div
            className="heat-grid"
            tabIndex={0}
            role="group"
            aria-label="Layer health heat maps: left and right arrows step through the samples, the table below gives the numbers"
            onKeyDown={key}
            onBlur={() => setCursor(null)}
          >
            <ol className="heat-rows" aria-hidden="true">
              {names.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ol>
            {METRICS.map((m) => (
              <HeatMap
                key={m.key}
                metric={m}
                legend={legendOf(m, activations)}
                cells={cells}
                rows={rows}
                cursor={cursor}
                epochs={epochs}
                onCursor={setCursor}
              />
            ))}
          </div>
          <HealthTable sample={shown ?? null} names={names} latest={cursor === null} />
        </>
      )}
    </section>
  );
});

/** The numbers of one sample (laid out before the first arrives, so the page does not jump). */
function HealthTable({
  sample,
  names,
  latest,
}: {
  sample: HealthSample | null;
  names: readonly string[];
  latest: boolean;
}) {
  return (
    <table className="health-table" data-testid="health-table">
      <caption className="small muted">
        {sample
          ? `${latest ? 'Newest sample' : 'Sample'}: epoch ${sample.x.toFixed(2)}`
          : 'Measuring the first batches…'}
        {sample ? ` · confidently wrong: ${pct(sample.clipped)} of the batch` : ''}
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
          const cells = sample ? healthCells(sample, i) : null;
          return (
            <tr key={i} data-layer={i + 1}>
              <th scope="row">{name}</th>
              <td>{cells?.gradient ?? '–'}</td>
              <td>{cells?.step ?? '–'}</td>
              <td>{cells?.mean ?? '–'}</td>
              <td data-testid={`health-share-${i + 1}`}>{cells?.share ?? '–'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

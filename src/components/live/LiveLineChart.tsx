import { memo, startTransition, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  CartesianGrid,
  Line,
  LineChart,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
  type BaseTickContentProps,
  type LineDrawShapeProps,
} from 'recharts';
import { drawSoon } from '../lib/frameQueue';
import {
  columnKey,
  epochTicks,
  logTicks,
  niceTicks,
  rowsByX,
  svgPath,
  thinEvenly,
  tickFormatter,
} from '../../core/chart/ticks';
import './charts.css';

import { Readout, type Series } from './ChartReadout';

export type { Series };

interface Props {
  readonly series: readonly Series[];
  /** x from 0 to this many epochs. */
  readonly xMax: number;
  /** [lo, hi] of the y axis; with `log`, both must be positive. A linear axis rounds it out to nice ticks. */
  readonly yDomain: readonly [number, number];
  readonly log?: boolean;
  /** A dashed horizontal line (chance level). */
  readonly reference?: number;
  /** A vertical line at an epoch, labelled (early stopping's kept epoch). */
  readonly marker?: { readonly x: number; readonly label: string } | null;
  readonly empty?: string;
  readonly testId: string;
  readonly label: string;
}

/** Points handed to recharts per series at most: its redraw grows with them, the eye does not. */
export const MAX_DRAWN = 300;
/** Curves are redrawn at most this often (ms): a recharts redraw costs 5-10 times the hand-drawn SVG's. */
export const REDRAW_MS = 1000;
const NO_SERIES: readonly Series[] = [];
const MARGIN = { top: 6, right: 10, bottom: 0, left: 0 };
const CURSOR = { stroke: '#f59e0b' };
const DOT = { r: 3, fill: '#fff', strokeWidth: 1.5 };
const LABEL = { fontSize: 10, fill: '#475569' };
const GRID = <CartesianGrid stroke="#e2e8f0" />;
const logLabel = (v: number) => String(Number(v.toPrecision(2)));

/**
 * A tick label as plain SVG text: recharts' own Text works out its offsets by evaluating CSS
 * calc() expressions in JavaScript, which was the largest part of drawing an axis.
 */
function tickLabel(t: BaseTickContentProps) {
  const dy = t.verticalAnchor === 'start' ? '0.71em' : '0.32em';
  const text = t.tickFormatter ? t.tickFormatter(t.payload.value, t.index) : String(t.payload.value);
  return (
    <text {...LABEL} x={t.x} y={t.y} dy={dy} textAnchor={t.textAnchor} className={t.className}>
      {text}
    </text>
  );
}

/** What both axes share: explicit nice ticks (ours, not recharts'), every one shown, plain labels. */
const AXIS = {
  type: 'number',
  interval: 0,
  allowDataOverflow: true,
  niceTicks: 'none',
  tick: tickLabel,
  tickLine: false,
  stroke: '#94a3b8',
} as const;

/**
 * The y axis: nice ticks and the domain rounded out to them on a linear axis; on a log axis
 * `yDomain` as it is, with ticks at 1, 2 and 5 times the powers of ten (or the powers alone).
 */
function useYAxis([lo, hi]: Props['yDomain'], log: boolean) {
  return useMemo(() => {
    const ticks = log ? logTicks(lo, hi) : niceTicks(lo, hi, 6);
    const [first, last] = [ticks[0], ticks.at(-1)];
    const domain: [number, number] = log || first === undefined || last === undefined ? [lo, hi] : [first, last];
    return { domain, ticks, log, format: log ? logLabel : tickFormatter(ticks) };
  }, [lo, hi, log]);
}

/**
 * `value`, changed at most once per `ms`: a change after a quiet spell at once, the changes of a
 * burst (a run's progress, four a second) as the latest one at the end of each `ms`. Each chart
 * takes its turn in the frame queue, so two charts redraw in two tasks, not one twice as long; the
 * change is a transition, which React puts off while the page answers input.
 */
function useThrottled<T>(value: T, initial: T, ms: number): T {
  const [shown, setShown] = useState(initial);
  const last = useRef(0);
  useEffect(() => {
    if (Object.is(value, shown)) return;
    let cancel = () => {};
    const show = () => {
      last.current = performance.now();
      startTransition(() => setShown(value));
    };
    const id = setTimeout(() => (cancel = drawSoon(last, show)), Math.max(0, last.current + ms - performance.now()));
    return () => {
      clearTimeout(id);
      cancel();
    };
  }, [value, shown, ms]);
  return shown;
}

/** False at first, true a frame later: a chart is laid out in a task of its own, its curves in the next. */
function useSoon(): boolean {
  const [soon, setSoon] = useState(false);
  const key = useRef(null);
  useEffect(() => drawSoon(key, () => startTransition(() => setSoon(true))), []);
  return soon;
}

/**
 * The line through the rows where the series has a value and, for a dotted series, its dots,
 * drawn by the line's own shape: recharts' default shape reads the path's length at every redraw
 * (for an entrance animation these charts do not have), making the browser lay out the page there
 * and then, and its dots are a layer of their own, one per row, that cost more to redraw than the
 * rest of the line.
 */
function curveShape(s: Series) {
  return function SeriesCurve({ points = [], clipPath }: LineDrawShapeProps) {
    // A single point is a dot too (`s` is the series the line was made for: see lineKey).
    const dotted = s.dots || s.points.length === 1;
    return (
      <>
        <path
          className="recharts-curve recharts-line-curve"
          data-series={s.name}
          d={svgPath(points)}
          fill="none"
          stroke={s.colour}
          strokeWidth={1.6}
          strokeDasharray={s.dashed ? '5 4' : undefined}
          clipPath={clipPath}
        />
        {dotted
          ? points.map(({ x, y }) =>
              x === null || y === null ? null : (
                <circle key={x} data-series={s.name} cx={x} cy={y} stroke={s.colour} {...DOT} />
              ),
            )
          : null}
      </>
    );
  };
}

/** One series as a recharts line, drawn by `curveShape`. */
function seriesLine(s: Series, i: number) {
  const shape = curveShape(s);
  return (
    <Line
      key={s.name}
      className="series"
      dataKey={columnKey(i)}
      name={s.name}
      stroke={s.colour}
      dot={false}
      shape={shape}
      activeDot={false}
      isAnimationActive={false}
    />
  );
}

/** What a line looks like (not its points): its element is remade only when this changes. */
const lineKey = (s: Series) => [s.name, s.colour, s.dots, s.dashed, s.points.length === 1].join('|');

/**
 * The chart's parts as elements that stay the same object while what they show does not change,
 * so React skips them when only the curves change. (recharts' ReferenceLine, redrawn, tells the
 * chart's store it was removed and added again, and the whole chart redraws.)
 */
function useParts(drawn: readonly Series[], xMax: number, y: ReturnType<typeof useYAxis>, reference?: number) {
  const latest = useRef({ drawn, xMax });
  latest.current = { drawn, xMax };
  const content = useCallback(
    ({ active, label }: { active?: boolean; label?: unknown }) => (
      <Readout active={active === true} label={label} series={latest.current.drawn} xMax={latest.current.xMax} />
    ),
    [],
  );
  const tooltip = useMemo(() => <Tooltip content={content} cursor={CURSOR} isAnimationActive={false} />, [content]);
  const xAxis = useMemo(() => {
    const ticks = epochTicks(xMax, 11);
    return <XAxis {...AXIS} dataKey="x" domain={[0, Math.max(1, xMax)]} ticks={ticks} height={18} />;
  }, [xMax]);
  const yAxis = useMemo(
    () => (
      <YAxis
        {...AXIS}
        scale={y.log ? 'log' : 'linear'}
        domain={y.domain}
        ticks={y.ticks}
        tickFormatter={y.format}
        width={36}
      />
    ),
    [y],
  );
  const shown = reference !== undefined && reference >= y.domain[0] && reference <= y.domain[1];
  const referenceLine = useMemo(
    () => (shown ? <ReferenceLine y={reference} stroke="#64748b" strokeDasharray="4 4" /> : null),
    [shown, reference],
  );
  // Remade when a line's looks change, not when its points do: those are the chart's rows.
  const key = drawn.map(lineKey).join('\n');
  const lines = useMemo(() => drawn.map(seriesLine), [key]);
  return { tooltip, xAxis, yAxis, referenceLine, lines };
}

/**
 * A line chart of the curves that change while a run trains (and of finished runs' curves), drawn
 * by recharts. A redraw there costs several times what the hand-drawn SVG did (recharts updates
 * its own store and redraws from it synchronously), so: each series is thinned to MAX_DRAWN
 * points; the curves are redrawn at most once per REDRAW_MS, one chart per frame; the chart is
 * drawn a frame after the box that holds it, its first curves a frame later (each a task of its
 * own, not one long task with whatever showed the chart); it is memoised, its props are stable
 * between updates (the live charts' come from deferred values), and of its parts only the data
 * changes when a curve grows.
 */
export const LiveLineChart = memo(function LiveLineChart(props: Props) {
  const { series, xMax, yDomain, log = false, reference, marker = null, empty, testId, label } = props;
  const soon = useSoon();
  const shown = useThrottled(series, NO_SERIES, REDRAW_MS);
  const drawn = useMemo(() => shown.map((s) => ({ ...s, points: thinEvenly(s.points, MAX_DRAWN) })), [shown]);
  // The series side by side in one data array: a longer curve is then one update of recharts'
  // store, where an array per line was an update per line.
  const rows = useMemo(() => rowsByX(drawn.map((s) => s.points)), [drawn]);
  const y = useYAxis(yDomain, log);
  const parts = useParts(drawn, xMax, y, reference);
  const hasData = series.some((s) => s.points.length > 0);
  return (
    <div className="chart-box" data-testid={testId}>
      {!hasData && empty ? <p className="chart-empty">{empty}</p> : null}
      {soon ? (
        <LineChart
          responsive
          width="100%"
          height="100%"
          data={rows}
          margin={MARGIN}
          role="img"
          aria-label={label}
          accessibilityLayer={false}
        >
          {GRID}
          {parts.xAxis}
          {parts.yAxis}
          {parts.referenceLine}
          {marker ? (
            <ReferenceLine
              x={marker.x}
              stroke="#7c3aed"
              strokeDasharray="2 3"
              // Its words on the side with room: right of the line in the chart's left half, else left.
              label={{
                value: marker.label,
                position: marker.x > xMax / 2 ? 'insideTopRight' : 'insideTopLeft',
                fontSize: 10,
                fill: '#5b21b6',
              }}
            />
          ) : null}
          {parts.tooltip}
          {parts.lines}
        </LineChart>
      ) : null}
    </div>
  );
});

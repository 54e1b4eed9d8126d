import { useEffect, useMemo, useRef, useState, type PointerEvent, type RefObject } from 'react';

export interface Series {
  readonly name: string;
  readonly colour: string;
  readonly points: readonly { readonly x: number; readonly y: number }[];
  /** Draw a dot at each point (validation, once per epoch). */
  readonly dots?: boolean;
  /** A dashed line (training accuracy beside a solid validation line). */
  readonly dashed?: boolean;
}

interface Props {
  readonly series: readonly Series[];
  /** x from 0 to this many epochs. */
  readonly xMax: number;
  /** [lo, hi] of the y axis; with `log`, both must be positive. */
  readonly yDomain: readonly [number, number];
  readonly yTicks: readonly number[];
  readonly log?: boolean;
  /** Dashed horizontal lines (chance level). */
  readonly reference?: number;
  readonly empty?: string;
  readonly testId: string;
  readonly label: string;
}

const PAD = { left: 34, right: 8, top: 6, bottom: 18 };
const fmt = (v: number) => String(Number(v.toPrecision(2)));

/** Where values land in the plot area of a chart `w` by `h` pixels. */
interface Scale {
  readonly iw: number;
  readonly ih: number;
  readonly sx: (x: number) => number;
  readonly sy: (y: number) => number;
  /** sy, held inside the plot area. */
  readonly clampY: (y: number) => number;
}

function makeScale(w: number, h: number, xMax: number, [lo, hi]: readonly [number, number], log: boolean): Scale {
  const iw = Math.max(10, w - PAD.left - PAD.right);
  const ih = Math.max(10, h - PAD.top - PAD.bottom);
  const ty = (v: number) => (log ? Math.log10(Math.max(v, 1e-12)) : v);
  const sx = (x: number) => PAD.left + (x / Math.max(1e-9, xMax)) * iw;
  const sy = (y: number) => PAD.top + (1 - (ty(y) - ty(lo)) / Math.max(1e-12, ty(hi) - ty(lo))) * ih;
  const clampY = (y: number) => Math.min(PAD.top + ih, Math.max(PAD.top, sy(y)));
  return { iw, ih, sx, sy, clampY };
}

/** The element's size in pixels, followed as it changes. */
function useBoxSize(box: RefObject<HTMLDivElement | null>) {
  const [size, setSize] = useState({ w: 300, h: 160 });
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setSize({ w: el.clientWidth, h: el.clientHeight }));
    ro.observe(el);
    setSize({ w: el.clientWidth, h: el.clientHeight });
    return () => ro.disconnect();
  }, [box]);
  return size;
}

/** Each series' point nearest epoch `hover` (if near enough), for the readout under the chart. */
function readoutAt(series: readonly Series[], hover: number | null, xMax: number) {
  if (hover === null) return null;
  return series.flatMap((s) => {
    let best: { x: number; y: number } | null = null;
    for (const p of s.points) if (!best || Math.abs(p.x - hover) < Math.abs(best.x - hover)) best = p;
    return best && Math.abs(best.x - hover) <= xMax / 20 ? [{ name: s.name, colour: s.colour, ...best }] : [];
  });
}

/**
 * A small SVG line chart for the curves that change while a run trains. It draws in a few
 * milliseconds: a general chart library redraws through its own store at every update, which cost
 * 60-300 ms per redraw here and froze the page while training (measured).
 */
export function LiveLineChart({ series, xMax, yDomain, yTicks, log = false, reference, empty, testId, label }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const { w, h } = useBoxSize(box);
  const [hover, setHover] = useState<number | null>(null);
  const scale = makeScale(w, h, xMax, yDomain, log);
  const { iw, ih, sx } = scale;
  const hasData = series.some((s) => s.points.length > 0);
  const readout = readoutAt(series, hover, xMax);
  const move = (e: PointerEvent<SVGSVGElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    const x = ((e.clientX - r.left - PAD.left) / iw) * xMax;
    setHover(x >= 0 && x <= xMax ? x : null);
  };
  return (
    <div className="chart-box" ref={box} data-testid={testId}>
      {!hasData && empty ? <p className="chart-empty">{empty}</p> : null}
      <svg
        width={w}
        height={h}
        role="img"
        aria-label={label}
        onPointerMove={move}
        onPointerLeave={() => setHover(null)}
      >
        <Axes scale={scale} h={h} xMax={xMax} yDomain={yDomain} yTicks={yTicks} reference={reference} />
        {series.map((s) => (
          <SeriesLine key={s.name} s={s} scale={scale} />
        ))}
        {hover !== null ? <line x1={sx(hover)} x2={sx(hover)} y1={PAD.top} y2={PAD.top + ih} stroke="#f59e0b" /> : null}
      </svg>
      {readout && readout.length > 0 ? (
        <div className="chart-readout">
          epoch {hover?.toFixed(2)}:{' '}
          {readout.map((r) => (
            <span key={r.name} style={{ color: r.colour }}>
              {r.name} {r.y.toFixed(4)}{' '}
            </span>
          ))}
        </div>
      ) : null}
    </div>
  );
}

/** Grid lines with their values, the plot frame, and the dashed reference line. */
function Axes({
  scale,
  h,
  xMax,
  yDomain: [lo, hi],
  yTicks,
  reference,
}: Pick<Props, 'xMax' | 'yDomain' | 'yTicks'> & {
  reference: Props['reference'] | undefined;
  scale: Scale;
  h: number;
}) {
  const { iw, ih, sx, sy } = scale;
  const xTicks = useMemo(() => {
    const step = Math.max(1, Math.ceil(xMax / 10));
    return Array.from({ length: Math.floor(xMax / step) + 1 }, (_, i) => i * step);
  }, [xMax]);
  return (
    <>
      {yTicks.map((t) => (
        <g key={`y${t}`}>
          <line x1={PAD.left} x2={PAD.left + iw} y1={sy(t)} y2={sy(t)} stroke="#e2e8f0" />
          <text x={PAD.left - 4} y={sy(t) + 3} textAnchor="end" fontSize={10} fill="#475569">
            {fmt(t)}
          </text>
        </g>
      ))}
      {xTicks.map((t) => (
        <g key={`x${t}`}>
          <line x1={sx(t)} x2={sx(t)} y1={PAD.top} y2={PAD.top + ih} stroke="#eef2f6" />
          <text x={sx(t)} y={h - 5} textAnchor="middle" fontSize={10} fill="#475569">
            {t}
          </text>
        </g>
      ))}
      <rect x={PAD.left} y={PAD.top} width={iw} height={ih} fill="none" stroke="#94a3b8" />
      {reference !== undefined && reference >= lo && reference <= hi ? (
        <line
          x1={PAD.left}
          x2={PAD.left + iw}
          y1={sy(reference)}
          y2={sy(reference)}
          stroke="#64748b"
          strokeDasharray="4 4"
        />
      ) : null}
    </>
  );
}

/** One series: its line, and dots at its points where asked (or where it has a single point). */
function SeriesLine({ s, scale: { sx, clampY } }: { s: Series; scale: Scale }) {
  return (
    <g className="series" data-series={s.name}>
      {s.points.length > 1 ? (
        <polyline
          fill="none"
          stroke={s.colour}
          strokeWidth={1.6}
          strokeDasharray={s.dashed ? '5 4' : undefined}
          points={s.points.map((p) => `${sx(p.x).toFixed(1)},${clampY(p.y).toFixed(1)}`).join(' ')}
        />
      ) : null}
      {s.dots || s.points.length === 1
        ? s.points.map((p) => (
            <circle key={p.x} cx={sx(p.x)} cy={clampY(p.y)} r={3} fill="#fff" stroke={s.colour} strokeWidth={1.5} />
          ))
        : null}
    </g>
  );
}

import { useId } from 'react';
import type { ConfigResult } from '../../core/experiments/experimentResults';

/** A cell's colour: red (accuracy 0) through yellow to green (1); grey while it has no run. */
const colour = (v: number | null) =>
  v === null ? '#f1f5f9' : `hsl(${Math.round(v * 120)}, 70%, ${Math.round(88 - v * 40)}%)`;

/** The key's bar: the cells' colours at accuracy 0, 0.1, … 1 (the hue turns, so a few stops). */
const KEY_STOPS = Array.from({ length: 11 }, (_, i) => i / 10);

/** Mean test accuracy (± the 95 % t-interval's half-width with repeats) by depth (rows) and width (columns), as an SVG so it exports like the charts, its colour key in it. */
export function Heatmap({ rows }: { rows: readonly ConfigResult[] }) {
  const widths = [...new Set(rows.map((r) => r.config.width))];
  const depths = [...new Set(rows.map((r) => r.config.depth))];
  const cw = 110;
  const ch = 34;
  const left = 90;
  const top = 40;
  const gridBottom = top + ch * depths.length;
  return (
    <svg
      className="heatmap"
      data-testid="experiment-chart"
      viewBox={`0 0 ${left + cw * widths.length + 10} ${gridBottom + 58}`}
      width="100%"
      style={{ maxWidth: 480 }}
      role="img"
      aria-label="Test accuracy by depth and width; colour key: red at 0, yellow at 0.5, green at 1, grey not run yet"
    >
      <text x={left + (cw * widths.length) / 2} y={14} textAnchor="middle" fontSize="13">
        units per layer
      </text>
      {widths.map((w, i) => (
        <text key={w} x={left + cw * i + cw / 2} y={top - 8} textAnchor="middle" fontSize="13">
          {w}
        </text>
      ))}
      {depths.map((d, j) => (
        <text key={d} x={left - 8} y={top + ch * j + ch / 2 + 4} textAnchor="end" fontSize="13">
          {d} layer{d === 1 ? '' : 's'}
        </text>
      ))}
      {rows.map((r) => {
        const i = widths.indexOf(r.config.width);
        const j = depths.indexOf(r.config.depth);
        return (
          <g key={r.config.key}>
            <rect x={left + cw * i} y={top + ch * j} width={cw - 2} height={ch - 2} fill={colour(r.mean)} />
            <text x={left + cw * i + cw / 2} y={top + ch * j + ch / 2 + 4} textAnchor="middle" fontSize="13">
              {r.mean === null ? '–' : r.mean.toFixed(3)}
              {r.low !== null && r.high !== null ? ` ±${((r.high - r.low) / 2).toFixed(3)}` : ''}
              {r.article !== null ? ` (${r.article.toFixed(3)})` : ''}
            </text>
          </g>
        );
      })}
      <HeatmapKey x={left} y={gridBottom + 12} width={cw * widths.length - 2} />
    </svg>
  );
}

/** The colour key under the grid: the accuracy scale from 0 to 1, and the grey of a cell with no run yet. */
function HeatmapKey({ x, y, width }: { x: number; y: number; width: number }) {
  const id = `heatmap-key-${useId().replace(/[^A-Za-z0-9_-]/g, '')}`;
  const bar = width - 120;
  return (
    <g data-testid="heatmap-key" fontSize="12">
      <defs>
        <linearGradient id={id}>
          {KEY_STOPS.map((v) => (
            <stop key={v} offset={v} stopColor={colour(v)} />
          ))}
        </linearGradient>
      </defs>
      <text x={x - 8} y={y + 10} textAnchor="end">
        accuracy
      </text>
      <rect x={x} y={y} width={bar} height={12} fill={`url(#${id})`} stroke="#cbd5e1" />
      {[0, 0.5, 1].map((v) => (
        <text key={v} x={x + v * bar} y={y + 27} textAnchor={v === 0 ? 'start' : v === 1 ? 'end' : 'middle'}>
          {v}
        </text>
      ))}
      <rect x={x + bar + 14} y={y} width={14} height={12} fill={colour(null)} stroke="#cbd5e1" />
      <text x={x + bar + 32} y={y + 10}>
        not run yet
      </text>
    </g>
  );
}

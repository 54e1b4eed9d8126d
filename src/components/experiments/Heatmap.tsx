import type { ConfigResult } from '../../core/experiments/experimentResults';

/** Mean test accuracy (± the 95 % t-interval's half-width with repeats) by depth (rows) and width (columns), as an SVG so it exports like the charts. */
export function Heatmap({ rows }: { rows: readonly ConfigResult[] }) {
  const widths = [...new Set(rows.map((r) => r.config.width))];
  const depths = [...new Set(rows.map((r) => r.config.depth))];
  const cw = 110;
  const ch = 34;
  const left = 90;
  const top = 40;
  const colour = (v: number | null) =>
    v === null ? '#f1f5f9' : `hsl(${Math.round(v * 120)}, 70%, ${Math.round(88 - v * 40)}%)`;
  return (
    <svg
      className="heatmap"
      data-testid="experiment-chart"
      viewBox={`0 0 ${left + cw * widths.length + 10} ${top + ch * depths.length + 10}`}
      width="100%"
      style={{ maxWidth: 480 }}
      role="img"
      aria-label="Test accuracy by depth and width"
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
    </svg>
  );
}

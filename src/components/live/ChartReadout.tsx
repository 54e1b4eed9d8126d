import { nearestPoint } from '../../core/chart/ticks';

/** One curve of a line chart. */
export interface Series {
  readonly name: string;
  readonly colour: string;
  readonly points: readonly { readonly x: number; readonly y: number }[];
  /** Draw a dot at each point (validation, once per epoch). */
  readonly dots?: boolean;
  /** A dashed line (training accuracy beside a solid validation line). */
  readonly dashed?: boolean;
}

type ReadoutProps = { active: boolean; label: unknown; series: readonly Series[]; xMax: number };

const epochLabel = (x: number): string => (Number.isInteger(x) ? String(x) : x.toFixed(2));

/** The tooltip: the epoch under the pointer, and each series' point nearest it if near (a twentieth of the axis). */

export function Readout({ active, label, series, xMax }: ReadoutProps) {
  if (!active || typeof label !== 'number') return null;
  const rows = series.flatMap((s) => {
    const p = nearestPoint(s.points, label);
    return p && Math.abs(p.x - label) <= xMax / 20 ? [{ name: s.name, colour: s.colour, x: p.x, y: p.y }] : [];
  });
  if (rows.length === 0) return null;
  return (
    <div className="chart-tooltip" data-testid="chart-tooltip">
      <div className="chart-tooltip-epoch">epoch {epochLabel(label)}</div>
      {rows.map((r) => (
        <div key={r.name} style={{ color: r.colour }}>
          {/* A curve's nearest point may be elsewhere (validation is measured at epoch ends): say where. */}
          {r.name} <b>{r.y.toFixed(4)}</b>
          {epochLabel(r.x) === epochLabel(label) ? null : ` at epoch ${epochLabel(r.x)}`}
        </div>
      ))}
    </div>
  );
}

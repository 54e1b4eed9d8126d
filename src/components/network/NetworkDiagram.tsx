import { useMemo } from 'react';
import { diagramColumns } from '../../core/network/diagram';
import { useConfig } from '../../store/hooks';

const W = 300;
const H = 110;
const LABEL = 28;

/** One column per layer, bar height on a log scale of its width; redrawn as the sliders move. */
export function NetworkDiagram() {
  const layers = useConfig().layers;
  const columns = useMemo(() => diagramColumns(layers), [layers]);
  const step = W / columns.length;
  const barW = Math.min(28, step * 0.6);
  const top = (h: number) => (H - LABEL) * (1 - h) + 4;
  return (
    <svg
      className="diagram"
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label={`Network diagram: ${columns.map((c) => c.units).join(', ')} units`}
      data-testid="network-diagram"
    >
      {columns.map((c, i) => {
        const x = i * step + step / 2;
        const next = columns[i + 1];
        return (
          <g key={i}>
            {next ? (
              <line
                x1={x + barW / 2}
                y1={(top(c.height) + H - LABEL) / 2}
                x2={x + step - barW / 2}
                y2={(top(next.height) + H - LABEL) / 2}
                stroke="#cbd5e1"
                strokeWidth={2}
              />
            ) : null}
            <rect
              x={x - barW / 2}
              y={top(c.height)}
              width={barW}
              height={H - LABEL - top(c.height)}
              rx={3}
              fill={i === 0 ? '#94a3b8' : i === columns.length - 1 ? '#f59e0b' : '#2563eb'}
            />
            <text x={x} y={H - LABEL + 12} textAnchor="middle" fontSize={10} fill="#334155">
              {c.units}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

import { useMemo } from 'react';
import { diagramColumns } from '../../core/network/diagram';
import { formatCount } from '../../core/network/params';
import { INPUT_SIZE, NUM_CLASSES, type Activation, type HiddenLayer } from '../../core/network/spec';
import { useConfig } from '../../store/hooks';

/** Drawing units of the SVG (it scales to the panel's width, about 1:1 in the wide layout). */
const W = 320;
const H = 98;
/** Room above the bars for the unit counts, and below them for the layer names. */
const TOP = 16;
const BOTTOM = 16;

const INPUT_COLOUR = '#94a3b8';
const OUTPUT_COLOUR = '#d97706';
/** One colour per activation, the same in the bars and the legend. */
const ACTIVATION_COLOURS: Readonly<Record<Activation, string>> = {
  sigmoid: '#2563eb',
  relu: '#059669',
  tanh: '#7c3aed',
  linear: '#475569',
};

const colourOf = (i: number, count: number, layers: readonly HiddenLayer[]) =>
  i === 0 ? INPUT_COLOUR : i === count - 1 ? OUTPUT_COLOUR : ACTIVATION_COLOURS[layers[i - 1]?.activation ?? 'linear'];

/**
 * The network at a glance: one bar per layer (input, each hidden layer, output), its height on a
 * log scale of the units, the count above it and the layer's name below, coloured by activation
 * with a legend; redrawn as the controls change.
 */
export function NetworkDiagram() {
  const layers = useConfig().layers;
  const columns = useMemo(() => diagramColumns(layers), [layers]);
  const used = [...new Set(layers.map((l) => l.activation))];
  const step = W / columns.length;
  const barW = Math.min(30, step * 0.55);
  const font = step < 30 ? 9 : 11;
  const base = H - BOTTOM;
  const top = (h: number) => TOP + (base - TOP) * (1 - h);
  return (
    <figure className="diagram-figure">
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
                  y1={(top(c.height) + base) / 2}
                  x2={x + step - barW / 2}
                  y2={(top(next.height) + base) / 2}
                  stroke="#cbd5e1"
                  strokeWidth={2}
                />
              ) : null}
              <rect
                x={x - barW / 2}
                y={top(c.height)}
                width={barW}
                height={base - top(c.height)}
                rx={3}
                fill={colourOf(i, columns.length, layers)}
              />
              <text x={x} y={top(c.height) - 4} textAnchor="middle" fontSize={font} fontWeight={700} fill="#1f2937">
                {c.units}
              </text>
              <text x={x} y={H - 3} textAnchor="middle" fontSize={font} fill="#475569">
                {i === 0 ? 'input' : i === columns.length - 1 ? 'output' : String(i)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="diagram-legend small">
        <Swatch colour={INPUT_COLOUR} text={`${formatCount(INPUT_SIZE)} pixels`} />
        {used.map((a) => (
          <Swatch key={a} colour={ACTIVATION_COLOURS[a]} text={a} />
        ))}
        <Swatch colour={OUTPUT_COLOUR} text={`${NUM_CLASSES} softmax`} />
      </figcaption>
    </figure>
  );
}

function Swatch({ colour, text }: { colour: string; text: string }) {
  return (
    <span className="swatch">
      <span className="swatch-box" style={{ background: colour }} aria-hidden="true" />
      {text}
    </span>
  );
}

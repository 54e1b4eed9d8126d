import { stopToWidth, widthToStop, WIDTH_STOPS } from '../../core/network/edit';
import './WidthSlider.css';

/** Slider stops that are powers of two get a tick; some of them a label. */
const TICKS = WIDTH_STOPS.flatMap((w, i) => ((w & (w - 1)) === 0 ? [{ w, i }] : []));
const LABELLED = new Set([1, 8, 64, 512, 4096]);
const LAST = WIDTH_STOPS.length - 1;
/** Where a stop sits along the track, for CSS (the thumb is 18 px wide). */
const at = (stop: number) => `calc(9px + ${stop / LAST} * (100% - 18px))`;

/**
 * A layer's width on a log-like scale of stops, with its value on the thumb and ticks at powers of
 * two. The labels sit under the tick marks, inside the slider's own box (WidthSlider.css): no mark
 * crosses a label, and nothing under the slider meets them.
 */
export function WidthSlider({
  index,
  units,
  onChange,
}: {
  index: number;
  units: number;
  onChange: (units: number) => void;
}) {
  const stop = widthToStop(units);
  return (
    <div className="width-slider width-slider-ticked">
      <label>
        <span className="visually-hidden">Layer {index + 1} width</span>
        <input
          type="range"
          min={0}
          max={LAST}
          step={1}
          value={stop}
          aria-valuetext={`${units} units`}
          data-testid={`layer-${index}-slider`}
          onChange={(e) => onChange(stopToWidth(Number(e.target.value)))}
        />
      </label>
      <output className="thumb-value" style={{ left: at(stop) }} aria-hidden="true">
        {units}
      </output>
      <div className="ticks" aria-hidden="true">
        {TICKS.map(({ w, i }) => (
          <span key={w} className={LABELLED.has(w) ? 'tick labelled' : 'tick'} style={{ left: at(i) }}>
            {LABELLED.has(w) ? <span className="tick-label">{w}</span> : null}
          </span>
        ))}
      </div>
    </div>
  );
}

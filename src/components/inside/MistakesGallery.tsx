import { INPUT_SIZE } from '../../core/network/spec';
import { useActions, useLabState } from '../../store/hooks';
import { DigitImage } from '../common/DigitImage';

/** The test images the model got wrong, most confident first (of one matrix cell, or all). */
export function MistakesGallery({ names }: { names: readonly string[] }) {
  const { mistakes } = useLabState('mistakes');
  const { showMistakes: show } = useActions();
  const images = mistakes.images;
  return (
    <div>
      <h3>
        Misclassified test images{' '}
        {mistakes.cell ? (
          <span className="small muted">
            : true {names[mistakes.cell.label]}, predicted {names[mistakes.cell.pred]}{' '}
            <button type="button" onClick={() => show(null)}>
              Show all mistakes
            </button>
          </span>
        ) : null}
      </h3>
      <p className="small muted" data-testid="mistakes-count">
        {mistakes.total === 0
          ? 'None.'
          : `${mistakes.total.toLocaleString('en-US')} image${mistakes.total === 1 ? '' : 's'}${mistakes.total > mistakes.shown.length ? `; the ${mistakes.shown.length} the network was surest about` : ''}, most confident first.`}
      </p>
      {mistakes.status === 'loading' ? <p className="small muted">Loading the images…</p> : null}
      {mistakes.problem ? <p className="error">{mistakes.problem}</p> : null}
      {images ? (
        <ul className="gallery mistakes" data-testid="mistakes-gallery">
          {mistakes.shown.map((m, i) => (
            <li key={m.index} data-testid="mistake" data-label={m.label} data-pred={m.pred}>
              <DigitImage
                pixels={images.images.subarray(i * INPUT_SIZE, (i + 1) * INPUT_SIZE)}
                size={56}
                label={`test image ${m.index + 1}: ${names[m.label]} read as ${names[m.pred]}`}
              />
              <span className="small">
                {names[m.label]} → <strong>{names[m.pred]}</strong>
              </span>
              <span className="small muted">{m.prob.toFixed(2)}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

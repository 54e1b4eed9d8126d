import { argMax } from '../../core/runs/metrics';
import { CLASS_NAMES } from '../../core/network/spec';
import { useActions, useConfig, useIsBusy, useLabState, useModels, useRun } from '../../store/hooks';
import type { LabState } from '../../store/store';
import { DigitImage } from '../common/DigitImage';
import { ModelChoice } from './ModelChoice';
import { SIZE } from './paint';
import { ProbabilityBars } from './ProbabilityBars';
import { useDrawingPad } from './useDrawingPad';
import './DrawPanel.css';

type DrawState = LabState['draw'];

/**
 * Draw a digit with mouse, pen or finger (or pick a random test image from the keyboard); see what
 * the network receives and what it says: live from the network training now, or from a finished
 * run's model. The pad and the ten bars sit side by side, so both are on the first screen.
 */
export function DrawPanel() {
  const { draw } = useLabState('draw');
  const { active } = useModels('active');
  const busy = useIsBusy();
  const { probe, config: runConfig } = useRun('probe', 'config');
  const controlsDataset = useConfig().dataset;
  const live = busy && runConfig !== null;
  const dataset = live ? runConfig.dataset : (active?.kept.model.dataset ?? controlsDataset);
  const names = CLASS_NAMES[dataset];
  const fashion = dataset === 'fashion';

  // Live: the probabilities the training run computed for this very drawing (same probe id).
  const liveProbs = live && draw.digit && probe && probe.probeId === draw.probeId ? probe.probs : null;
  const probs = live ? liveProbs : draw.digit ? (draw.prediction?.probs ?? null) : null;
  const predicted = probs ? argMax(probs) : -1;
  return (
    <section className="panel draw" aria-labelledby="draw-title">
      <h2 id="draw-title">Draw a digit</h2>
      <ModelChoice live={live} />
      {fashion ? (
        <p className="small notice-inline" data-testid="fashion-draw-note">
          This network was trained on Fashion-MNIST clothes, so it calls any drawing one of its ten garments.
        </p>
      ) : null}
      <div className="draw-row">
        <DrawPad testImage={draw.testImage} drawn={draw.digit !== null} />
        <div className="draw-side">
          <DrawResult draw={draw} live={live} predicted={predicted} fashion={fashion} names={names} />
          {fashion ? null : <ProbabilityBars probs={probs} names={names} />}
        </div>
      </div>
      {draw.problem ? (
        <p className="error" role="alert">
          {draw.problem}
        </p>
      ) : null}
      {live && draw.digit && !liveProbs ? <p className="small muted">Reading it with the next batches…</p> : null}
      {!draw.digit ? (
        <p className="small muted">Draw a digit{live ? ' and watch the bars move as the network learns' : ''}.</p>
      ) : null}
      {/* Garment names need the panel's width; digits fit beside the pad. */}
      {fashion ? <ProbabilityBars probs={probs} names={names} /> : null}
    </section>
  );
}

/** The canvas, with Clear, Undo and a random test image. `drawn`: the store holds a drawing. */
function DrawPad({ testImage, drawn }: { testImage: DrawState['testImage']; drawn: boolean }) {
  const { setDrawing, predictTestImage } = useActions();
  const { canvas, handlers, strokeCount, clear, undo } = useDrawingPad(setDrawing, testImage);
  return (
    <div className="draw-pad">
      <canvas
        ref={canvas}
        width={SIZE}
        height={SIZE}
        className="digit-canvas"
        data-testid="digit-canvas"
        aria-label="Drawing area: draw one digit with the mouse, a pen or a finger (or use a random test image)"
        {...handlers}
      />
      <div className="buttons compact">
        <button type="button" data-testid="clear-canvas" onClick={clear} disabled={strokeCount === 0 && !drawn}>
          Clear
        </button>
        <button type="button" onClick={undo} disabled={strokeCount === 0}>
          Undo
        </button>
        <button type="button" data-testid="random-test-image" onClick={() => predictTestImage()}>
          Random test image
        </button>
      </div>
    </div>
  );
}

/** What the network receives (28 by 28), what it reads, and which test image it is. */
function DrawResult({
  draw,
  live,
  predicted,
  fashion,
  names,
}: {
  draw: DrawState;
  live: boolean;
  predicted: number;
  fashion: boolean;
  names: readonly string[];
}) {
  const testImage = draw.testImage;
  return (
    <div className="draw-result">
      <div className="preview-box">
        <span className="small muted">Network input</span>
        {draw.digit ? (
          <DigitImage
            pixels={draw.digit.bytes}
            size={56}
            label="The drawing as the network receives it, 28 by 28 pixels"
            testId="digit-preview"
          />
        ) : (
          <div className="digit-preview-empty" data-testid="digit-preview" aria-label="Nothing drawn yet" role="img" />
        )}
      </div>
      <p className="prediction-line">
        <span className="small muted">Reads</span>{' '}
        <strong className="prediction" data-testid="prediction" aria-live={live ? 'off' : 'polite'}>
          {predicted >= 0 ? String(predicted) : ''}
        </strong>
        {predicted >= 0 && fashion ? <span className="prediction-name"> {names[predicted]}</span> : null}
      </p>
      {testImage ? (
        <p className="small muted" data-testid="test-image-label">
          Test image {testImage.index + 1}, labelled {names[testImage.label]}
        </p>
      ) : null}
    </div>
  );
}

import { useCallback, useEffect, useRef, useState, type PointerEvent } from 'react';
import { argMax } from '../../core/runs/metrics';
import { CLASS_NAMES } from '../../core/network/spec';
import { useLab } from '../../store/context';
import {
  selectActiveModel,
  selectConfig,
  selectDraw,
  selectIsBusy,
  selectPredictTestImage,
  selectProbe,
  selectRunConfig,
  selectSetDrawing,
} from '../../store/selectors';
import { DigitImage } from '../common/DigitImage';
import { ModelChoice } from './ModelChoice';
import { paint, readInk, SIZE, type Point } from './paint';
import { ProbabilityBars } from './ProbabilityBars';

/** Predict this long after the last stroke movement. */
const DEBOUNCE_MS = 60;

/**
 * Draw a digit with mouse, pen or finger (or pick a random test image from the keyboard); see what
 * the network receives and what it says: live from the network training now, or from a finished
 * run's model.
 */
export function DrawPanel() {
  const canvas = useRef<HTMLCanvasElement>(null);
  const strokes = useRef<Point[][]>([]);
  // A test image under the strokes, until Clear.
  const background = useRef<Uint8Array | null>(null);
  const drawing = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const [strokeCount, setStrokeCount] = useState(0);
  const setDrawing = useLab(selectSetDrawing);
  const predictTestImage = useLab(selectPredictTestImage);
  const draw = useLab(selectDraw);
  const active = useLab(selectActiveModel);
  const busy = useLab(selectIsBusy);
  const probe = useLab(selectProbe);
  const runConfig = useLab(selectRunConfig);
  const controlsDataset = useLab(selectConfig).dataset;
  const live = busy && runConfig !== null;
  const dataset = live ? runConfig.dataset : (active?.kept.model.dataset ?? controlsDataset);
  const names = CLASS_NAMES[dataset];
  const testImage = draw.testImage;

  const context = () => canvas.current?.getContext('2d', { willReadFrequently: true }) ?? null;
  const send = useCallback(() => {
    const ctx = canvas.current?.getContext('2d', { willReadFrequently: true });
    if (ctx) setDrawing(readInk(ctx), SIZE, SIZE);
  }, [setDrawing]);
  const schedule = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(send, DEBOUNCE_MS);
  }, [send]);
  useEffect(() => () => (timer.current ? clearTimeout(timer.current) : undefined), []);
  // A picked test image is painted on the canvas, so the pen can add to it.
  useEffect(() => {
    if (!testImage) return;
    strokes.current = [];
    background.current = testImage.bytes;
    setStrokeCount(0);
    const ctx = context();
    if (ctx) paint(ctx, [], testImage.bytes);
  }, [testImage]);

  const redraw = () => {
    const ctx = context();
    if (ctx) paint(ctx, strokes.current, background.current);
  };
  const at = (e: PointerEvent<HTMLCanvasElement>): Point => {
    const r = e.currentTarget.getBoundingClientRect();
    return [((e.clientX - r.left) / r.width) * SIZE, ((e.clientY - r.top) / r.height) * SIZE];
  };
  const down = (e: PointerEvent<HTMLCanvasElement>) => {
    if (e.button !== 0 && e.pointerType === 'mouse') return;
    e.currentTarget.setPointerCapture(e.pointerId);
    drawing.current = true;
    strokes.current.push([at(e)]);
    setStrokeCount(strokes.current.length);
    redraw();
    schedule();
  };
  const move = (e: PointerEvent<HTMLCanvasElement>) => {
    if (!drawing.current) return;
    strokes.current[strokes.current.length - 1]?.push(at(e));
    redraw();
    schedule();
  };
  const up = () => {
    if (!drawing.current) return;
    drawing.current = false;
    schedule();
  };
  const clear = () => {
    strokes.current = [];
    background.current = null;
    setStrokeCount(0);
    redraw();
    send();
  };
  const undo = () => {
    strokes.current.pop();
    setStrokeCount(strokes.current.length);
    redraw();
    send();
  };

  // Live: the probabilities the training run computed for this very drawing (same probe id).
  const liveProbs = live && draw.digit && probe && probe.probeId === draw.probeId ? probe.probs : null;
  const probs = live ? liveProbs : draw.digit ? (draw.prediction?.probs ?? null) : null;
  const predicted = probs ? argMax(probs) : -1;
  return (
    <section className="panel draw" aria-labelledby="draw-title">
      <h2 id="draw-title">Draw a digit</h2>
      <ModelChoice live={live} />
      {dataset === 'fashion' ? (
        <p className="small notice-inline" data-testid="fashion-draw-note">
          This network was trained on Fashion-MNIST clothes, so it calls any drawing one of its ten garments.
        </p>
      ) : null}
      <div className="draw-row">
        <div className="draw-pad">
          <canvas
            ref={canvas}
            width={SIZE}
            height={SIZE}
            className="digit-canvas"
            data-testid="digit-canvas"
            aria-label="Drawing area: draw one digit with the mouse, a pen or a finger (or use a random test image)"
            onPointerDown={down}
            onPointerMove={move}
            onPointerUp={up}
            onPointerCancel={up}
          />
          <div className="buttons compact">
            <button
              type="button"
              data-testid="clear-canvas"
              onClick={clear}
              disabled={strokeCount === 0 && !draw.digit}
            >
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
              <div
                className="digit-preview-empty"
                data-testid="digit-preview"
                aria-label="Nothing drawn yet"
                role="img"
              />
            )}
          </div>
          <p className="prediction-line">
            <span className="small muted">Reads</span>{' '}
            <strong className="prediction" data-testid="prediction" aria-live={live ? 'off' : 'polite'}>
              {predicted >= 0 ? String(predicted) : ''}
            </strong>
            {predicted >= 0 && dataset === 'fashion' ? (
              <span className="prediction-name"> {names[predicted]}</span>
            ) : null}
          </p>
          {testImage ? (
            <p className="small muted" data-testid="test-image-label">
              Test image {testImage.index + 1}, labelled {names[testImage.label]}
            </p>
          ) : null}
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
      <ProbabilityBars probs={probs} names={names} />
    </section>
  );
}

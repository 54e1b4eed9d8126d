import { useCallback, useEffect, useMemo, useRef, useState, type PointerEvent } from 'react';
import { argMax } from '../core/metrics';
import { architectureLabel } from '../core/runs';
import { useLab } from '../store/context';
import { activeModelId } from '../store/inspectSlice';
import { selectActiveModel, selectChooseModel, selectConfig, selectDraw, selectIsBusy, selectModels, selectQuickTrain, selectRuns, selectSetDrawing } from '../store/selectors';
import { CLASS_NAMES } from '../core/spec';
import { DigitImage } from './DigitImage';

/** The drawing surface in canvas pixels; CSS scales it to the space there is. */
const SIZE = 280;
/** About MNIST's stroke: 2 to 3 pixels of a 20-pixel digit, so a tenth of a full-height digit. */
const STROKE = 22;
/** Predict this long after the last stroke movement. */
const DEBOUNCE_MS = 60;

type Point = readonly [number, number];

function paint(ctx: CanvasRenderingContext2D, strokes: readonly (readonly Point[])[]) {
  ctx.clearRect(0, 0, SIZE, SIZE);
  ctx.strokeStyle = '#000';
  ctx.fillStyle = '#000';
  ctx.lineWidth = STROKE;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  for (const s of strokes) {
    const [first, ...rest] = s;
    if (!first) continue;
    if (rest.length === 0) {
      ctx.beginPath();
      ctx.arc(first[0], first[1], STROKE / 2, 0, Math.PI * 2);
      ctx.fill();
      continue;
    }
    ctx.beginPath();
    ctx.moveTo(first[0], first[1]);
    for (const [x, y] of rest) ctx.lineTo(x, y);
    ctx.stroke();
  }
}

/** The canvas's ink as [SIZE * SIZE] amounts 0..1 (its alpha: strokes on a transparent canvas). */
function readInk(ctx: CanvasRenderingContext2D): Float32Array {
  const data = ctx.getImageData(0, 0, SIZE, SIZE).data;
  const ink = new Float32Array(SIZE * SIZE);
  for (let i = 0; i < ink.length; i++) ink[i] = (data[i * 4 + 3] as number) / 255;
  return ink;
}

/** Draw a digit with mouse, pen or finger; see what the network receives and what it says. */
export function DrawPanel() {
  const canvas = useRef<HTMLCanvasElement>(null);
  const strokes = useRef<Point[][]>([]);
  const drawing = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const [strokeCount, setStrokeCount] = useState(0);
  const setDrawing = useLab(selectSetDrawing);
  const draw = useLab(selectDraw);
  const active = useLab(selectActiveModel);
  const controlsDataset = useLab(selectConfig).dataset;
  const dataset = active?.kept.model.dataset ?? controlsDataset;
  const names = CLASS_NAMES[dataset];

  const send = useCallback(() => {
    const ctx = canvas.current?.getContext('2d', { willReadFrequently: true });
    if (ctx) setDrawing(readInk(ctx), SIZE, SIZE);
  }, [setDrawing]);
  const schedule = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(send, DEBOUNCE_MS);
  }, [send]);
  useEffect(() => () => (timer.current ? clearTimeout(timer.current) : undefined), []);

  const redraw = () => {
    const ctx = canvas.current?.getContext('2d', { willReadFrequently: true });
    if (ctx) paint(ctx, strokes.current);
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

  const probs = draw.digit ? draw.prediction?.probs : undefined;
  const predicted = probs ? argMax(probs) : -1;
  return (
    <section className="panel" aria-labelledby="draw-title">
      <h2 id="draw-title">Draw a digit</h2>
      {dataset === 'fashion' ? (
        <p className="small notice-inline" data-testid="fashion-draw-note">
          This canvas is meant for digits. The model in use was trained on Fashion-MNIST clothes, so it will call any drawing one of its ten garments; try the
          outline of a trouser or a bag if you like.
        </p>
      ) : null}
      <ModelChoice />
      <div className="draw-row">
        <div className="draw-pad">
          <canvas
            ref={canvas}
            width={SIZE}
            height={SIZE}
            className="digit-canvas"
            data-testid="digit-canvas"
            aria-label="Drawing area: draw one digit with the mouse, a pen or a finger"
            onPointerDown={down}
            onPointerMove={move}
            onPointerUp={up}
            onPointerCancel={up}
          />
          <div className="buttons">
            <button type="button" data-testid="clear-canvas" onClick={clear} disabled={strokeCount === 0}>
              Clear
            </button>
            <button type="button" onClick={undo} disabled={strokeCount === 0}>
              Undo stroke
            </button>
          </div>
        </div>
        <div className="draw-result">
          <div className="preview-box">
            <span className="small muted">What the network receives (28×28)</span>
            {draw.digit ? (
              <DigitImage pixels={draw.digit.bytes} size={112} label="The drawing as the network receives it, 28 by 28 pixels" testId="digit-preview" />
            ) : (
              <div className="digit-preview-empty" data-testid="digit-preview" aria-label="Nothing drawn yet" role="img" />
            )}
          </div>
          <p className="prediction-line">
            Prediction:{' '}
            <strong className="prediction" data-testid="prediction" aria-live="polite">
              {predicted >= 0 ? String(predicted) : ''}
            </strong>
            {predicted >= 0 && dataset === 'fashion' ? <span className="prediction-name"> {names[predicted]}</span> : null}
          </p>
          {draw.problem ? (
            <p className="error" role="alert">
              {draw.problem}
            </p>
          ) : null}
          <ProbabilityBars probs={probs ?? null} names={names} />
        </div>
      </div>
    </section>
  );
}

function ProbabilityBars({ probs, names }: { probs: Float32Array | null; names: readonly string[] }) {
  return (
    <ol className={`prob-bars${names.some((n) => n.length > 1) ? ' wide' : ''}`} start={0} aria-label="Class probabilities" data-testid="probabilities">
      {Array.from({ length: 10 }, (_, c) => {
        const p = probs ? (probs[c] as number) : 0;
        return (
          <li key={c}>
            <span className="prob-digit">{names[c] ?? c}</span>
            <span className="prob-track">
              <span className="prob-fill" style={{ width: `${(p * 100).toFixed(1)}%` }} />
            </span>
            <span className="prob-value">{probs ? p.toFixed(3) : '–'}</span>
          </li>
        );
      })}
    </ol>
  );
}

/** Which run's model predicts, a way to pick another, and a quick run when there is none. */
function ModelChoice() {
  const models = useLab(selectModels);
  const runs = useLab(selectRuns);
  const choose = useLab(selectChooseModel);
  const quickTrain = useLab(selectQuickTrain);
  const busy = useLab(selectIsBusy);
  const withModel = useMemo(() => runs.filter((r) => models.available.includes(r.id)), [runs, models.available]);
  const activeId = activeModelId(runs, models);
  const active = runs.find((r) => r.id === activeId);
  if (!active) {
    return (
      <div className="model-choice">
        <p>
          No trained model yet: train any network above, or start a quick run of one that reads hand-drawn digits well (128 ReLU units, scaled inputs, Adam, 3
          epochs on all 60,000 images).
        </p>
        <button type="button" className="primary" data-testid="quick-train" onClick={quickTrain} disabled={busy}>
          {busy ? 'Training…' : 'Quick training run'}
        </button>
        {models.problem ? <p className="small error">{models.problem}</p> : null}
      </div>
    );
  }
  return (
    <div className="model-choice">
      <label className="field wide">
        <span>Predicting with the model of</span>
        <select value={models.chosen ?? ''} onChange={(e) => choose(e.target.value === '' ? null : e.target.value)} data-testid="model-choice">
          <option value="">the newest finished run</option>
          {withModel.map((r) => (
            <option key={r.id} value={r.id}>
              {`${architectureLabel(r.config.layers)} · ${r.config.preprocessing} · test ${r.testAcc?.toFixed(4) ?? '–'} · ${new Date(r.startedAt).toLocaleTimeString()}`}
            </option>
          ))}
        </select>
      </label>
      <p className="small muted" data-testid="model-in-use">
        In use: {architectureLabel(active.config.layers)}, {active.config.preprocessing} inputs, test accuracy {active.testAcc?.toFixed(4) ?? '–'}.
      </p>
      {models.problem ? <p className="small error">{models.problem}</p> : null}
    </div>
  );
}

/**
 * The drawing canvas's pointer handling: strokes as the pen makes them (over a picked test image,
 * until Clear), redrawn at each move, and the ink sent to the store a moment after the pen rests.
 */
import { useCallback, useEffect, useRef, useState, type PointerEvent } from 'react';
import { paint, readInk, SIZE, type Point } from './paint';

/** Predict this long after the last stroke movement. */
const DEBOUNCE_MS = 60;

type CanvasPointer = PointerEvent<HTMLCanvasElement>;

/**
 * `send` receives the ink (28x28 read off the canvas); `testImage`, when picked, is painted under
 * the strokes. Returns the canvas ref, its pointer handlers, the stroke count, and clear and undo.
 */
export function useDrawingPad(
  send: (ink: Float32Array, width: number, height: number) => void,
  testImage: { readonly bytes: Uint8Array } | null,
) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const strokes = useRef<Point[][]>([]);
  // A test image under the strokes, until Clear.
  const background = useRef<Uint8Array | null>(null);
  const drawing = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const [strokeCount, setStrokeCount] = useState(0);

  const context = () => canvas.current?.getContext('2d', { willReadFrequently: true }) ?? null;
  const sendInk = useCallback(() => {
    const ctx = canvas.current?.getContext('2d', { willReadFrequently: true });
    if (ctx) send(readInk(ctx), SIZE, SIZE);
  }, [send]);
  const schedule = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(sendInk, DEBOUNCE_MS);
  }, [sendInk]);
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
  const at = (e: CanvasPointer): Point => {
    const r = e.currentTarget.getBoundingClientRect();
    return [((e.clientX - r.left) / r.width) * SIZE, ((e.clientY - r.top) / r.height) * SIZE];
  };
  const down = (e: CanvasPointer) => {
    if (e.button !== 0 && e.pointerType === 'mouse') return;
    e.currentTarget.setPointerCapture(e.pointerId);
    drawing.current = true;
    strokes.current.push([at(e)]);
    setStrokeCount(strokes.current.length);
    redraw();
    schedule();
  };
  const move = (e: CanvasPointer) => {
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
    sendInk();
  };
  const undo = () => {
    strokes.current.pop();
    setStrokeCount(strokes.current.length);
    redraw();
    sendInk();
  };
  const handlers = { onPointerDown: down, onPointerMove: move, onPointerUp: up, onPointerCancel: up };
  return { canvas, handlers, strokeCount, clear, undo };
}

/**
 * Canvas redraws, one per animation frame: several live views updating at once (three heat maps
 * and the weight tiles) then take a frame each instead of one long task together. A view that asks
 * again before its turn replaces its earlier request.
 */
const queue = new Map<object, () => void>();
let scheduled = false;

function next() {
  scheduled = false;
  const first = queue.entries().next();
  if (first.done) return;
  const [key, draw] = first.value;
  queue.delete(key);
  try {
    draw();
  } finally {
    if (queue.size > 0) schedule();
  }
}

function schedule() {
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(next);
}

/** Runs `draw` in a coming animation frame, after the draws queued before it; returns a cancel. */
export function drawSoon(key: object, draw: () => void): () => void {
  queue.delete(key);
  queue.set(key, draw);
  schedule();
  return () => {
    if (queue.get(key) === draw) queue.delete(key);
  };
}

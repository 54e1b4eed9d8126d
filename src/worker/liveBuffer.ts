/**
 * What a run measures between two progress messages (loss samples, layer health, the first
 * layer's weights, the live drawing's probabilities), gathered and sent together at most a few
 * times a second: each message costs the page a render.
 */
import type { HealthSample, LiveTiles, Progress, TrainSample, WorkerToMain } from './protocol';

export const PROGRESS_INTERVAL_MS = 250;
/** The first layer's weights are read back for the live tiles this often (and at the end of the run). */
const TILES_INTERVAL_MS = 2000;

/** The drawing a run classifies as it trains (see the 'probe' message), replaced by the page at any time. */
export interface ProbeSlot {
  current: { probeId: number; input: Float32Array | null };
}

/** What the training loop hands over at a read-back (see ml/train.ts's onSample). */
export interface Measured {
  readonly train: TrainSample;
  readonly health?: HealthSample | null;
  readonly tiles?: LiveTiles | null;
  readonly probe?: Float32Array | null;
}

export function createLiveBuffer(runId: number, post: (m: WorkerToMain) => void, probe: ProbeSlot) {
  let samples: TrainSample[] = [];
  let health: HealthSample[] = [];
  let tiles: LiveTiles | null = null;
  let probed: { probeId: number; probs: Float32Array; x: number } | null = null;
  let lastSeen: Progress | null = null;
  let lastProgress = 0;
  let lastTiles = -Infinity;
  let lastProbe = -Infinity;
  let probeAsked = 0;
  /** Posts what was measured since the last progress message (also before a stop or failure). */
  const flush = () => {
    if (!lastSeen || (samples.length === 0 && health.length === 0 && !tiles && !probed)) return;
    post({ type: 'progress', runId, progress: lastSeen, samples, health, tiles, probe: probed });
    samples = [];
    health = [];
    tiles = null;
    probed = null;
  };
  return {
    flush,
    add(s: Measured) {
      samples.push(s.train);
      if (s.health) health.push(s.health);
      if (s.tiles) tiles = s.tiles;
      if (s.probe) probed = { probeId: probeAsked, probs: s.probe, x: s.train.x };
    },
    /** At most a few updates a second, and the last batch's. */
    progress(progress: Progress) {
      lastSeen = progress;
      const t = performance.now();
      if (t - lastProgress < PROGRESS_INTERVAL_MS && progress.batch < progress.batches) return;
      lastProgress = t;
      flush();
    },
    /**
     * What the next read-back should also measure: tiles every couple of seconds and at the end;
     * the drawing at most as often as the page hears about it (each costs a forward pass).
     */
    extras({ final }: { final: boolean }) {
      const t = performance.now();
      const wantTiles = final || t - lastTiles >= TILES_INTERVAL_MS;
      if (wantTiles) lastTiles = t;
      const { probeId, input } = probe.current;
      const wantProbe = input !== null && (final || t - lastProbe >= PROGRESS_INTERVAL_MS || probeId !== probeAsked);
      if (wantProbe) lastProbe = t;
      probeAsked = probeId;
      return { tiles: wantTiles, probe: wantProbe ? input : null };
    },
  };
}

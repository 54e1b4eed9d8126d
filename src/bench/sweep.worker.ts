/**
 * Sweep benchmark worker (`npm run bench -- --sweep`): one network trained as an experiment queue
 * trains it, in a worker of its own, or a group of networks in one step (ml/group). The page starts
 * several of these at once: 'load' gets the backend (WASM, with the threads asked for) and MNIST
 * ready, untimed; 'train' trains the article's setup on all 60,000 images for `epochs` epochs and
 * its test, seeds seed..seed + group - 1 (one network alone, more as one group), and says how
 * long that took.
 */
import { DEFAULT_CONFIG, type TrainConfig } from '../core/network/spec';
import type { TrainData } from '../core/dataset/dataset';
import { loadMnist } from '../data/mnist';
import { askWasmThreads, selectBackend } from '../ml/backend';
import { trainRun, type RunOutcome } from '../ml/train';
import { trainGroup } from '../ml/group/trainGroup';

export type SweepMessage =
  | { readonly type: 'load'; readonly baseUrl: string; readonly threads: number }
  | {
      readonly type: 'train';
      readonly width: number;
      readonly epochs: number;
      readonly seed: number;
      readonly group: number;
    };

export type SweepReply =
  | { readonly type: 'loaded'; readonly backend: string }
  | { readonly type: 'trained'; readonly seconds: number; readonly testAcc: readonly (number | null)[] }
  | { readonly type: 'error'; readonly message: string };

let data: TrainData | null = null;

async function handle(m: SweepMessage): Promise<SweepReply> {
  if (m.type === 'load') {
    askWasmThreads(m.threads);
    const backend = await selectBackend('wasm');
    data = await loadMnist(m.baseUrl, () => undefined);
    return { type: 'loaded', backend: `${backend.name}: ${backend.reason}` };
  }
  if (!data) throw new Error('train before load');
  const config = (seed: number): TrainConfig => ({
    ...DEFAULT_CONFIG,
    layers: [{ units: m.width, activation: 'sigmoid' }],
    epochs: m.epochs,
    seed,
    backend: 'wasm',
  });
  const never = new AbortController().signal;
  const t0 = performance.now();
  const seeds = Array.from({ length: m.group }, (_, i) => m.seed + i);
  const outs =
    m.group === 1
      ? [await trainRun(data, config(m.seed), {}, never)]
      : await trainGroup(
          data,
          seeds.map((seed) => ({ config: config(seed), callbacks: {} })),
          never,
        );
  const testAcc = outs.map((o) => (o instanceof Error ? null : (o as RunOutcome).testAcc));
  return { type: 'trained', seconds: (performance.now() - t0) / 1000, testAcc };
}

self.onmessage = (e: MessageEvent<SweepMessage>) => {
  handle(e.data).then(
    (reply) => self.postMessage(reply),
    (err: unknown) => self.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) }),
  );
};

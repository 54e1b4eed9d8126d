/**
 * Tests a model the page imported on the dataset's test images, in the worker, with the same
 * predictor that reads drawings: its accuracy, Keras's loss, and each image's answer (for the
 * confusion matrix and the mistakes). Progress goes to the page as it tests.
 */
import { checkDevice } from '../ml/backend';
import type { DataCache } from './dataCache';
import { throttledProgress } from './dataCache';
import { errorText, type ModelHolder } from './modelHolder';
import type { MainToWorker, WorkerToMain } from './protocol';

/** Progress messages at most this often. */
const PROGRESS_MS = 250;

/** A turn of the worker's event loop, so that a stop or a prediction is heard between chunks. */
const nextTurn = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export async function testModel(
  m: Extract<MainToWorker, { type: 'test-model' }>,
  deps: { post: (m: WorkerToMain) => void; data: DataCache; holder: ModelHolder; backendReady: () => Promise<unknown> },
): Promise<void> {
  const { requestId, model } = m;
  const { post } = deps;
  try {
    await deps.backendReady();
    const loading = throttledProgress((p) => post({ type: 'test-model-loading', requestId, ...p }));
    const d = await deps.data.get(m.baseUrl, model.dataset ?? 'mnist', loading);
    if (!d) throw new Error('the dataset could not be loaded');
    checkDevice();
    const predictor = deps.holder.testPredictor(model);
    try {
      const total = d.test.labels.length;
      let last = 0;
      const onStep = async (tested: number) => {
        const t = performance.now();
        if (t - last >= PROGRESS_MS && tested < total) {
          last = t;
          post({ type: 'test-model-progress', requestId, tested, total });
        }
        await nextTurn();
      };
      const scale = model.preprocessing === 'scaled' ? 1 / 255 : 1;
      const result = await predictor.test(d.test.images, d.test.labels, scale, onStep);
      checkDevice();
      post({ type: 'test-model-result', requestId, ...result });
    } finally {
      predictor.dispose();
    }
  } catch (e) {
    post({ type: 'test-model-error', requestId, message: errorText(e) });
  }
}

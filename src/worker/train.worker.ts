/** The training worker: owns TensorFlow.js, the model and every tensor; the page only gets numbers. */
import type { MainToWorker, WorkerToMain } from './protocol';
import { createTrainingService } from './service';

// The app's tsconfig has the DOM lib, not the WebWorker one; this is all of the worker global we use.
interface WorkerScope {
  postMessage(message: WorkerToMain): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<MainToWorker>) => void): void;
}

const scope = self as unknown as WorkerScope;
const handle = createTrainingService((m) => scope.postMessage(m));
scope.addEventListener('message', (e) => handle(e.data));

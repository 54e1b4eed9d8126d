/** The results worker: reads and checks a results file's runs (resultsReader.ts), then ends. */
import { readResults, type ResultsMessage, type ResultsRequest } from './resultsReader';

// The app's tsconfig has the DOM lib, not the WebWorker one; this is all of the worker global we use.
interface WorkerScope {
  postMessage(message: ResultsMessage): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<ResultsRequest>) => void): void;
}

const scope = self as unknown as WorkerScope;
scope.addEventListener('message', (e) => void readResults(e.data, (m) => scope.postMessage(m)));

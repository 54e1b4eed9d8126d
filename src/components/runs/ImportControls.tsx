import { useActions, useIsBusy, useLabState } from '../../store/hooks';
import { FileButton } from '../common/FileButton';

/**
 * Bringing work in from elsewhere: a trained model (model.json with its weights file) becomes a
 * run tested here; a results file (the lab's Export JSON, or a Keras script's) adds its runs.
 */
export function ImportControls() {
  const { imports } = useLabState('imports');
  const { importModel, importResults, dismissImport: dismiss } = useActions();
  const busy = useIsBusy();
  const working = imports.status === 'working';
  return (
    <div className="imports">
      <div className="buttons">
        <FileButton
          label="Import model…"
          title="model.json and model.weights.bin (TensorFlow.js Layers format): a Dense network of 784 inputs and 10 softmax outputs"
          accept=".json,.bin,application/json,application/octet-stream"
          testId="import-model"
          disabled={working || busy}
          onFiles={(files) => void importModel(files)}
        />
        <FileButton
          label="Import results…"
          title="A runs results file: the lab's Export JSON, or what a Keras script from the lab wrote"
          accept=".json,application/json"
          testId="import-results"
          disabled={working}
          onFiles={(files) => void importResults(files)}
        />
        {busy ? <span className="small muted">A model can be imported once the run ends.</span> : null}
      </div>
      {imports.status !== 'idle' ? (
        <div
          className={`small import-status ${imports.status === 'error' ? 'notice-inline' : ''}`}
          data-testid="import-status"
          data-status={imports.status}
          role={imports.status === 'error' ? 'alert' : 'status'}
        >
          <span>{imports.message}</span>
          {imports.notes.length > 0 ? (
            <ul>
              {imports.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          ) : null}
          {imports.status !== 'working' ? (
            <button type="button" className="link" onClick={dismiss}>
              Dismiss
            </button>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

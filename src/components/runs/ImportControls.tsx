import { useId } from 'react';
import { useLab } from '../../store/context';
import { selectDismissImport, selectImportModel, selectImportResults, selectImports, selectIsBusy } from '../../store/selectors';

/**
 * Bringing work in from elsewhere: a trained model (model.json with its weights file) becomes a
 * run tested here; a results file (the lab's Export JSON, or a Keras script's) adds its runs.
 */
export function ImportControls() {
  const imports = useLab(selectImports);
  const importModel = useLab(selectImportModel);
  const importResults = useLab(selectImportResults);
  const dismiss = useLab(selectDismissImport);
  const busy = useLab(selectIsBusy);
  const modelId = useId();
  const resultsId = useId();
  const working = imports.status === 'working';
  return (
    <div className="imports">
      <div className="buttons">
        <label className="file-button" htmlFor={modelId} title="model.json and model.weights.bin (TensorFlow.js Layers format): a Dense network of 784 inputs and 10 softmax outputs">
          Import model…
          <input
            id={modelId}
            type="file"
            multiple
            accept=".json,.bin,application/json,application/octet-stream"
            data-testid="import-model"
            disabled={working || busy}
            onChange={(e) => {
              const files = [...(e.currentTarget.files ?? [])];
              e.currentTarget.value = '';
              void importModel(files);
            }}
          />
        </label>
        <label className="file-button" htmlFor={resultsId} title="A runs results file: the lab's Export JSON, or what a Keras script from the lab wrote">
          Import results…
          <input
            id={resultsId}
            type="file"
            multiple
            accept=".json,application/json"
            data-testid="import-results"
            disabled={working}
            onChange={(e) => {
              const files = [...(e.currentTarget.files ?? [])];
              e.currentTarget.value = '';
              void importResults(files);
            }}
          />
        </label>
        {busy ? <span className="small muted">A model can be imported once the run ends.</span> : null}
      </div>
      {imports.status !== 'idle' ? (
        <div className={`small import-status ${imports.status === 'error' ? 'notice-inline' : ''}`} data-testid="import-status" data-status={imports.status} role={imports.status === 'error' ? 'alert' : 'status'}>
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

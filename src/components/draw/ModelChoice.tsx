import { useMemo } from 'react';
import { architectureLabel, describeConfig } from '../../core/runs/runs';
import { downloadModel } from '../lib/modelFiles';
import { useActions, useIsBusy, useLabState, useRun, useRunList } from '../../store/hooks';
import { activeModelId } from '../../store/slices/modelsSlice';

/**
 * Which network reads the drawing: the one training now (live), or a finished run's model, with a
 * way to pick another; with none yet, a quick run of a network that reads drawings well.
 */
export function ModelChoice({ live }: { live: boolean }) {
  const { models } = useLabState('models');
  const runs = useRunList();
  const { chooseModel: choose, quickTrain } = useActions();
  const busy = useIsBusy();
  const { config: runConfig, probe } = useRun('config', 'probe');
  const withModel = useMemo(() => runs.filter((r) => models.available.includes(r.id)), [runs, models.available]);
  const activeId = activeModelId(runs, models);
  const active = runs.find((r) => r.id === activeId);
  if (live && runConfig) {
    return (
      <p className="model-line" data-testid="model-in-use" data-live="true">
        <span className="live-dot" aria-hidden="true" /> Live: the network training now ({describeConfig(runConfig)})
        {probe ? `, as of epoch ${probe.x.toFixed(2)}` : ''}.
      </p>
    );
  }
  if (!active) {
    return (
      <div className="model-choice">
        <p className="small">
          No trained model yet. Train any network (draw first, and watch it learn to read your digit), or a quick run of
          one that reads drawings well; or import a trained model (TF.js format) under Runs &amp; compare.
        </p>
        <button type="button" className="primary" data-testid="quick-train" onClick={quickTrain} disabled={busy}>
          {busy ? 'Training…' : 'Quick training run (128 ReLU, 3 epochs)'}
        </button>
        {models.problem ? <p className="small error">{models.problem}</p> : null}
      </div>
    );
  }
  return (
    <div className="model-choice">
      <label className="field wide">
        <span>Reading with the model of</span>
        <select
          value={models.chosen ?? ''}
          onChange={(e) => choose(e.target.value === '' ? null : e.target.value)}
          data-testid="model-choice"
        >
          <option value="">the newest finished run</option>
          {withModel.map((r) => (
            <option key={r.id} value={r.id}>
              {`${architectureLabel(r.config.layers)} · ${r.config.preprocessing} · test ${r.testAcc?.toFixed(4) ?? '–'} · ${new Date(r.startedAt).toLocaleTimeString()}`}
            </option>
          ))}
        </select>
      </label>
      <p className="small muted" data-testid="model-in-use">
        In use: {architectureLabel(active.config.layers)}, {active.config.preprocessing} inputs, test accuracy{' '}
        {active.testAcc?.toFixed(4) ?? '–'}.
      </p>
      {models.active?.id === active.id ? (
        <button
          type="button"
          data-testid="export-model"
          title="model.json and model.weights.bin, as tf.LayersModel.save writes them (tf.loadLayersModel loads them)"
          onClick={() => {
            const kept = models.active?.kept;
            if (kept) downloadModel(kept.model, active.config);
          }}
        >
          Export model (TF.js)
        </button>
      ) : null}
      {models.problem ? <p className="small error">{models.problem}</p> : null}
    </div>
  );
}

import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { configLabel, experimentById, experimentPlan, QUICK_SUBSET } from '../../core/experiments/experiments';
import { formatCount } from '../../core/network/params';
import { estimateRemainingSeconds } from '../../core/runs/runEstimate';
import { useLab } from '../../store/context';
import { selectConfig, selectExperiments, selectIsBusy, selectRuns } from '../../store/selectors';
import { duration } from '../common/format';
import { downloadText } from '../common/download';
import { kerasScript } from '../../core/interchange/kerasScript';
import { selectActions } from './actions';
import { ExperimentPicker } from './ExperimentPicker';
import { ExperimentResults } from './ExperimentResults';
import { VariantPicker } from './VariantPicker';
import { VariantResults } from './VariantResults';
import { QueueStatus } from './QueueStatus';
import { unmeasured } from '../../core/runs/runs';

/** The article's experiments and the equal-budget presets: pick one, tick variants, queue its runs, and set the results against the article. */
export function ExperimentsPanel() {
  const ex = useLab(selectExperiments);
  const config = useLab(selectConfig);
  const lab = useLab(useShallow(selectActions));
  const busy = useLab(selectIsBusy);
  const runs = useLab(selectRuns);
  const experiment = ex.selected ? experimentById(ex.selected) : null;
  const plan = useMemo(
    () =>
      experiment
        ? experimentPlan(experiment, {
            repeats: ex.repeats,
            quick: ex.quick,
            dataset: config.dataset,
            variants: ex.variants,
          })
        : [],
    [experiment, ex.repeats, ex.quick, config.dataset, ex.variants],
  );
  // Runs the history already holds (same setup and seed) are reused, not trained again.
  const todo = useMemo(() => unmeasured(plan, runs), [plan, runs]);
  const estimate = useMemo(
    () =>
      estimateRemainingSeconds(
        runs,
        todo.items.map((p) => ({ config: p.config, epochs: p.config.epochs })),
      ),
    [todo, runs],
  );

  const queueActive = ex.queue.status === 'running' || ex.queue.status === 'paused';
  return (
    <section className="panel" aria-labelledby="experiments-title">
      <h2 id="experiments-title">Reproduce the article</h2>
      <ExperimentPicker selected={ex.selected} onSelect={lab.selectExperiment} />
      {experiment ? (
        <>
          <p>{experiment.question}</p>
          <p className="small muted">The article: {experiment.articleSays}</p>
          <p className="small">
            Every run: the article's setup (sigmoid hidden layers, raw 0..255 inputs, SGD 0.01, validation 0.1),{' '}
            {config.dataset === 'fashion' ? 'Fashion-MNIST (the lab’s own split)' : 'MNIST'}; configs:{' '}
            {experiment.configs
              .map(
                (c) => `${configLabel(c)} (${c.epochs} epochs${c.batchSize !== 128 ? `, batch ${c.batchSize}` : ''})`,
              )
              .join(', ')}
            .
          </p>
          <div className="experiment-options">
            <label className="field">
              <span>repeats per config (seeds 1, 2, …)</span>
              <input
                type="number"
                min={1}
                max={10}
                value={ex.repeats}
                onChange={(e) => lab.setRepeats(Number(e.target.value))}
                disabled={queueActive}
              />
            </label>
            <label className="check">
              <input
                type="checkbox"
                checked={ex.quick}
                onChange={(e) => lab.setQuick(e.target.checked)}
                disabled={queueActive}
              />{' '}
              quick: train on {formatCount(QUICK_SUBSET)} of the 60,000 images
            </label>
          </div>
          <VariantPicker ticked={ex.variants} disabled={queueActive} onChange={lab.setVariant} />
          {ex.quick ? (
            <p className="small notice-inline">
              Quick mode shows the shape of the result on a slow machine; its numbers will not match the article's,
              which trained on all 60,000 images.
            </p>
          ) : null}
          <p className="buttons">
            <button
              type="button"
              className="primary"
              data-testid="experiment-run"
              onClick={lab.runExperiment}
              disabled={busy || queueActive || ex.elsewhere}
            >
              Run experiment {experiment.number}: {todo.items.length} run{todo.items.length === 1 ? '' : 's'} to train
            </button>
            <button
              type="button"
              data-testid="export-keras"
              onClick={() =>
                downloadText(
                  `mlp-lab-${experiment.id}${ex.quick ? '-quick' : ''}.py`,
                  kerasScript(`Experiment ${experiment.number}: ${experiment.title}`, plan),
                  'text/x-python',
                )
              }
            >
              Keras script
            </button>
            <span className="small muted" data-testid="experiment-reuse">
              {todo.reused > 0
                ? `${todo.reused} of its ${plan.length} runs are already in the history (same setup and seed) and are reused. `
                : ''}
              {todo.items.length === 0
                ? ''
                : estimate === null
                  ? 'Time: no estimate until a run has finished an epoch.'
                  : `About ${duration(estimate)} here.`}
            </span>
          </p>
        </>
      ) : (
        <p className="small muted">
          Pick an experiment to see what it asks, queue its runs, and compare with the article.
        </p>
      )}
      <QueueStatus />
      {experiment ? <ExperimentResults experiment={experiment} quick={ex.quick} dataset={config.dataset} /> : null}
      {experiment ? (
        <VariantResults experiment={experiment} quick={ex.quick} dataset={config.dataset} ticked={ex.variants} />
      ) : null}
    </section>
  );
}

import { useMemo } from 'react';
import {
  configLabel,
  experimentById,
  experimentPlan,
  QUICK_SUBSET,
  type Experiment,
} from '../../core/experiments/experiments';
import { formatCount } from '../../core/network/params';
import { estimateRemainingSeconds } from '../../core/runs/runEstimate';
import type { DatasetName } from '../../core/network/spec';
import { useActions, useConfig, useIsBusy, useLabState, useRunList } from '../../store/hooks';
import type { LabState } from '../../store/store';
import { duration } from '../lib/format';
import { downloadText } from '../lib/download';
import { kerasScript } from '../../core/interchange/kerasScript';
import { ExperimentPicker } from './ExperimentPicker';
import { ExperimentResults } from './ExperimentResults';
import { VariantPicker } from './VariantPicker';
import { VariantResults } from './VariantResults';
import { QueueStatus } from './QueueStatus';
import { unmeasured } from '../../core/runs/runs';

type ExperimentsState = LabState['experiments'];

/**
 * The article's experiments, the equal-budget presets and experiment 9 (published results): pick one,
 * tick variants, queue its runs, and set the results against the article's or the papers' numbers.
 */
export function ExperimentsPanel() {
  const { experiments: ex } = useLabState('experiments');
  const config = useConfig();
  const { selectExperiment } = useActions();
  const experiment = ex.selected ? experimentById(ex.selected) : null;
  return (
    <section className="panel" aria-labelledby="experiments-title">
      <h2 id="experiments-title">Reproduce the article</h2>
      <ExperimentPicker selected={ex.selected} onSelect={selectExperiment} />
      {experiment ? (
        <ExperimentSetup experiment={experiment} ex={ex} dataset={config.dataset} />
      ) : (
        <p className="small muted">
          Pick an experiment to see what it asks, queue its runs, and compare with the article or the papers.
        </p>
      )}
      <QueueStatus />
      {experiment ? <ExperimentResults experiment={experiment} quick={ex.quick} dataset={config.dataset} /> : null}
      {experiment && experiment.variants !== false ? (
        <VariantResults experiment={experiment} quick={ex.quick} dataset={config.dataset} ticked={ex.variants} />
      ) : null}
    </section>
  );
}

/** The picked experiment: what it asks, its options and variants, and the button that queues its runs. */
function ExperimentSetup({
  experiment,
  ex,
  dataset,
}: {
  experiment: Experiment;
  ex: ExperimentsState;
  dataset: DatasetName;
}) {
  const { setVariant } = useActions();
  const plan = useMemo(
    () => experimentPlan(experiment, { repeats: ex.repeats, quick: ex.quick, dataset, variants: ex.variants }),
    [experiment, ex.repeats, ex.quick, dataset, ex.variants],
  );
  const queueActive = ex.queue.status === 'running' || ex.queue.status === 'paused';
  return (
    <>
      <p>{experiment.question}</p>
      <p className="small muted">The article: {experiment.articleSays}</p>
      <p className="small" data-testid="experiment-setup">
        {experiment.setupText ??
          'Every run: the article’s setup (sigmoid hidden layers, raw 0..255 inputs, SGD 0.01, validation 0.1),'}{' '}
        {dataset === 'fashion' ? 'Fashion-MNIST (the lab’s own split)' : 'MNIST'}; configs:{' '}
        {experiment.configs
          .map((c) => `${configLabel(c)} (${c.epochs} epochs${c.batchSize !== 128 ? `, batch ${c.batchSize}` : ''})`)
          // Labels with commas of their own ("800, affine distortions") are kept apart by semicolons.
          .join(experiment.configs.some((c) => configLabel(c).includes(',')) ? '; ' : ', ')}
        .
      </p>
      <ExperimentOptions repeats={ex.repeats} quick={ex.quick} disabled={queueActive} />
      {experiment.variants === false ? (
        <p className="small muted">
          Variants flip one of the article’s assumptions; these rows have each its own recipe, so they take none.
        </p>
      ) : (
        <VariantPicker ticked={ex.variants} disabled={queueActive} onChange={setVariant} />
      )}
      {ex.quick ? (
        <p className="small notice-inline">
          {experiment.reference === 'published'
            ? 'Quick mode shows the shape of the result on a slow machine; its numbers are not comparable with the papers’, which trained on 50,000 or 60,000 images.'
            : 'Quick mode shows the shape of the result on a slow machine; its numbers will not match the article’s, which trained on all 60,000 images.'}
        </p>
      ) : null}
      <ExperimentRunLine
        experiment={experiment}
        plan={plan}
        quick={ex.quick}
        held={queueActive || ex.elsewhere}
        ownQueue={queueActive && ex.queue.experiment === experiment.id}
      />
    </>
  );
}

/** Repeats per config and quick mode (fixed while the queue runs). */
function ExperimentOptions({ repeats, quick, disabled }: { repeats: number; quick: boolean; disabled: boolean }) {
  const { setRepeats, setQuick } = useActions();
  return (
    <div className="experiment-options">
      <label className="field">
        <span>repeats per config (seeds 1, 2, …)</span>
        <input
          type="number"
          min={1}
          max={10}
          value={repeats}
          onChange={(e) => setRepeats(Number(e.target.value))}
          disabled={disabled}
        />
      </label>
      <label className="check">
        <input type="checkbox" checked={quick} onChange={(e) => setQuick(e.target.checked)} disabled={disabled} />{' '}
        quick: train on {formatCount(QUICK_SUBSET)} of the 60,000 images
      </label>
    </div>
  );
}

/**
 * Run the experiment (the runs the history lacks), its Keras script, and how many runs are reused
 * and how long the rest would take. `held`: the queue is busy here or in another tab.
 */
function ExperimentRunLine({
  experiment,
  plan,
  quick,
  held,
  ownQueue,
}: {
  experiment: Experiment;
  plan: ReturnType<typeof experimentPlan>;
  quick: boolean;
  held: boolean;
  /** This experiment's queue runs or waits paused (its status line says what it reused). */
  ownQueue: boolean;
}) {
  const { runExperiment, queueLanes } = useActions();
  const busy = useIsBusy();
  const runs = useRunList();
  // Runs the history already holds (same setup and seed) are reused, not trained again.
  const todo = useMemo(() => unmeasured(plan, runs), [plan, runs]);
  const estimate = useMemo(() => {
    const work = estimateRemainingSeconds(
      runs,
      todo.items.map((p) => ({ config: p.config, epochs: p.config.epochs })),
    );
    // With the side worker, two runs train at a time (the history's epoch times are theirs).
    const first = todo.items[0];
    return work !== null && first && todo.items.length > 1 ? work / queueLanes(first.config) : work;
  }, [todo, runs, queueLanes]);
  return (
    <p className="buttons">
      <button
        type="button"
        className="primary"
        data-testid="experiment-run"
        onClick={runExperiment}
        disabled={busy || held}
      >
        Run experiment {experiment.number}: {todo.items.length} run{todo.items.length === 1 ? '' : 's'} to train
      </button>
      <button
        type="button"
        data-testid="export-keras"
        onClick={() =>
          downloadText(
            `mlp-lab-${experiment.id}${quick ? '-quick' : ''}.py`,
            kerasScript(`Experiment ${experiment.number}: ${experiment.title}`, plan),
            'text/x-python',
          )
        }
      >
        Keras script
      </button>
      {/* While this experiment's queue runs (or waits paused), its own finished runs are in the
          history: counting them here as reused, and the time as still to come, would be false. Its
          status line says what it reused, and how long is left. */}
      <span className="small muted" data-testid="experiment-reuse" hidden={ownQueue}>
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
  );
}

import { useMemo, useState } from 'react';
import { kerasSummary, weightBytes } from '../../core/summary';
import { estimateEpochSeconds } from '../../core/runEstimate';
import { useLab } from '../../store/context';
import { selectConfig, selectRuns } from '../../store/selectors';
import { duration, megabytes } from '../common/format';

/** The Keras-style summary of the network in the URL, with a copy button and its weight memory. */
export function SummaryPanel() {
  const layers = useLab(selectConfig).layers;
  const text = useMemo(() => kerasSummary(layers), [layers]);
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = () => {
    navigator.clipboard.writeText(text).then(
      () => setCopied('copied'),
      () => setCopied('failed'),
    );
  };
  return (
    <section className="panel" aria-labelledby="summary-title">
      <h2 id="summary-title">Summary</h2>
      <pre className="summary" data-testid="keras-summary" tabIndex={0} aria-label="Keras-style model summary">
        {text}
      </pre>
      <p className="small">
        <button type="button" onClick={copy}>
          Copy summary
        </button>{' '}
        <span className="muted" role="status">
          {copied === 'copied' ? 'Copied.' : copied === 'failed' ? 'The browser did not allow copying; select the text instead.' : ''}
        </span>
      </p>
      <p className="small muted">Weights in memory: {megabytes(weightBytes(layers))} (float32).</p>
      <EpochEstimateLine />
    </section>
  );
}

/** Time per epoch on this machine, scaled from the throughput of runs the lab has measured. */
function EpochEstimateLine() {
  const config = useLab(selectConfig);
  const runs = useLab(selectRuns);
  const estimate = useMemo(() => estimateEpochSeconds(runs, config), [runs, config]);
  return (
    <p className="small muted" data-testid="epoch-estimate">
      {estimate
        ? `Time per epoch on this machine: about ${duration(estimate.seconds)} (${estimate.backend}), about ${duration(estimate.seconds * config.epochs)} for ${config.epochs} epoch${config.epochs === 1 ? '' : 's'}; scaled from ${estimate.runs} measured run${estimate.runs === 1 ? '' : 's'}.`
        : config.backend === 'auto' || runs.length === 0
          ? 'Time per epoch on this machine: no estimate yet. Finish an epoch of any run and the lab will estimate from its speed.'
          : `Time per epoch on this machine: no estimate yet for ${config.backend}. Finish an epoch on it and the lab will estimate from its speed.`}
    </p>
  );
}

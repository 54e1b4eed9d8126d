import { useMemo, useState } from 'react';
import { kerasSummary, weightBytes } from '../../core/summary';
import { useLab } from '../../store/context';
import { selectConfig } from '../../store/selectors';
import { megabytes } from '../common/format';

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
    </section>
  );
}

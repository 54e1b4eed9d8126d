import { useMemo, useRef, useState } from 'react';
import type { TrainConfig } from '../../core/network/spec';
import { useConfig } from '../../store/hooks';
import { copyText, selectContents } from '../lib/copyText';
import { kerasSummary, weightBytes } from '../../core/network/summary';
import { megabytes } from '../lib/format';

/** The Keras-style summary of the network in the URL, with a copy button and its weight memory. */
export function SummaryPanel() {
  const config = useConfig();
  const { layers, inputDropout } = config;
  const text = useMemo(() => kerasSummary(layers, inputDropout), [layers, inputDropout]);
  const [copied, setCopied] = useState<'idle' | 'copied' | 'manual'>('idle');
  const pre = useRef<HTMLPreElement>(null);
  const copy = () => {
    void copyText(text).then((how) => {
      setCopied(how);
      if (how === 'manual') selectContents(pre.current);
    });
  };
  return (
    <section className="panel" aria-labelledby="summary-title">
      <h2 id="summary-title">Summary</h2>
      <pre
        ref={pre}
        className="summary"
        data-testid="keras-summary"
        tabIndex={0}
        aria-label="Keras-style model summary"
      >
        {text}
      </pre>
      <p className="small">
        <button type="button" onClick={copy}>
          Copy summary
        </button>{' '}
        <span className="muted" role="status">
          {copied === 'copied'
            ? 'Copied.'
            : copied === 'manual'
              ? 'Copying is not allowed here: the summary is selected, press Ctrl+C (⌘C).'
              : ''}
        </span>
      </p>
      <Regularizers config={config} />
      {config.loss === 'mse' ? (
        <p className="small" data-testid="summary-loss">
          Compiled with <code>loss=&quot;mean_squared_error&quot;</code> on one-hot labels (Keras&apos;s model.summary()
          does not print the loss).
        </p>
      ) : null}
      <p className="small muted">Weights in memory: {megabytes(weightBytes(layers))} (float32).</p>
    </section>
  );
}

/** Weight decay and max-norm, which Keras's model.summary() does not print. */
function Regularizers({ config }: { config: TrainConfig }) {
  const { l1, l2, maxNorm } = config;
  if (!l1 && !l2 && !maxNorm) return null;
  const decay = l1 || l2;
  return (
    <p className="small" data-testid="summary-l2">
      Every Dense layer has{' '}
      {decay ? <code>{`kernel_regularizer=keras.regularizers.L1L2(l1=${l1}, l2=${l2})`}</code> : null}
      {decay && maxNorm ? ' and ' : null}
      {maxNorm ? <code>{`kernel_constraint=keras.constraints.MaxNorm(${maxNorm})`}</code> : null}, which{' '}
      <code>model.summary()</code> does not print.
      {decay
        ? ` The loss adds ${[l1 ? `${l1} × Σ|w|` : '', l2 ? `${l2} × Σw²` : ''].filter(Boolean).join(' + ')} over every kernel weight (biases are not regularized).`
        : ''}
      {maxNorm
        ? ` After every update, a unit's incoming weights longer than ${maxNorm} are scaled back to that length.`
        : ''}
    </p>
  );
}

import { useMemo, useRef, useState } from 'react';
import { useConfig } from '../../store/hooks';
import { copyText, selectContents } from '../lib/copyText';
import { kerasSummary, weightBytes } from '../../core/network/summary';
import { megabytes } from '../lib/format';

/** The Keras-style summary of the network in the URL, with a copy button and its weight memory. */
export function SummaryPanel() {
  const { layers, l2 } = useConfig();
  const text = useMemo(() => kerasSummary(layers), [layers]);
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
      {l2 > 0 ? (
        <p className="small" data-testid="summary-l2">
          Every Dense layer has <code>kernel_regularizer=keras.regularizers.L2({l2})</code>, which{' '}
          <code>model.summary()</code> does not print: the loss adds {l2} × the sum of every squared kernel weight
          (biases are not regularized).
        </p>
      ) : null}
      <p className="small muted">Weights in memory: {megabytes(weightBytes(layers))} (float32).</p>
    </section>
  );
}

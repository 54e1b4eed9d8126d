import { formatCount, layerParams } from '../core/params';
import { INPUT_SIZE } from '../core/spec';
import { useLab } from '../store/context';
import { selectConfig, selectParamTotal } from '../store/selectors';

const EXAMPLES: readonly { label: string; query: string }[] = [
  { label: 'The article: 1 layer of 32', query: '?layers=32' },
  { label: '4 layers of 32 (the collapse)', query: '?layers=32,32,32,32' },
  { label: '1 layer of 32, inputs scaled to 0..1', query: '?layers=32&pre=scaled' },
  { label: 'Quick: 1 layer of 32 on 6,000 images', query: '?layers=32&subset=6000' },
];

/** The network and training settings that the URL chose, with the parameter count. */
export function NetworkPanel() {
  const config = useLab(selectConfig);
  const total = useLab(selectParamTotal);
  const rows = layerParams(config.layers);
  return (
    <section className="panel" aria-labelledby="network-title">
      <h2 id="network-title">Network</h2>
      <ol className="layers">
        <li>input {INPUT_SIZE}</li>
        {rows.map((r, i) => (
          <li key={r.name}>
            {r.units} {config.layers[i]?.activation ?? 'softmax'} <span className="muted">({formatCount(r.params)} params)</span>
          </li>
        ))}
      </ol>
      <p className="total">
        Total params: <strong data-testid="param-total">{formatCount(total)}</strong>
      </p>
      <dl className="settings">
        <dt>epochs</dt>
        <dd>{config.epochs}</dd>
        <dt>batch</dt>
        <dd>{config.batchSize}</dd>
        <dt>optimizer</dt>
        <dd>
          {config.optimizer}, lr {config.learningRate}
        </dd>
        <dt>inputs</dt>
        <dd>{config.preprocessing === 'raw' ? 'raw 0..255 (as the article)' : 'scaled to 0..1'}</dd>
        <dt>validation</dt>
        <dd>last {config.validationSplit * 100}% of the training images</dd>
        <dt>training images</dt>
        <dd>{config.subset === null ? 'all 60,000' : `first ${formatCount(config.subset)}`}</dd>
        <dt>seed</dt>
        <dd data-testid="seed">{config.seed}</dd>
        <dt>backend</dt>
        <dd>{config.backend} preferred</dd>
      </dl>
      <p className="muted small">
        Settings come from the page address (see the README for every parameter). Try:{' '}
        {EXAMPLES.map((e, i) => (
          <span key={e.query}>
            {i > 0 ? ' · ' : ''}
            <a href={e.query}>{e.label}</a>
          </span>
        ))}
      </p>
    </section>
  );
}

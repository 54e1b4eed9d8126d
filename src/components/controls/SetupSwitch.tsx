import { whichSetup } from '../../core/network/presets';
import { useLab } from '../../store/context';
import { selectChooseSetup, selectConfig } from '../../store/selectors';

/** Two buttons that set the controls to the article's setup or to one that learns well. */
export function SetupSwitch() {
  const config = useLab(selectConfig);
  const choose = useLab(selectChooseSetup);
  const setup = whichSetup(config);
  return (
    <div className="setup-switch" role="group" aria-label="Setup" data-testid="setup-switch" data-setup={setup}>
      <button
        type="button"
        aria-pressed={setup === 'article'}
        data-testid="setup-article"
        title="Sigmoid units, raw 0..255 inputs, plain SGD at 0.01, batch 128: the article's networks"
        onClick={() => choose('article')}
      >
        Article setup
      </button>
      <button
        type="button"
        aria-pressed={setup === 'learns-well'}
        data-testid="setup-learns-well"
        title="ReLU units, inputs scaled to 0..1, Adam at 0.001: learns well at any depth"
        onClick={() => choose('learns-well')}
      >
        Learns well
      </button>
      {setup === 'custom' ? <span className="setup-custom">custom</span> : null}
    </div>
  );
}

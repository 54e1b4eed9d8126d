import { whichSetup } from '../../core/network/presets';
import { useActions, useConfig } from '../../store/hooks';

/** The two setups: id, button text, and what it sets. */
const SETUPS = [
  [
    'article',
    'Article setup',
    "Sigmoid units, raw 0..255 inputs, plain SGD at 0.01, batch 128: the article's networks",
  ],
  ['learns-well', 'Learns well', 'ReLU units, inputs scaled to 0..1, Adam at 0.001: learns well at any depth'],
] as const;

/** Two buttons that set the controls to the article's setup or to one that learns well. */
export function SetupSwitch() {
  const config = useConfig();
  const { chooseSetup: choose } = useActions();
  const setup = whichSetup(config);
  return (
    <div className="setup-switch" role="group" aria-label="Setup" data-testid="setup-switch" data-setup={setup}>
      {SETUPS.map(([id, label, title]) => (
        <button
          key={id}
          type="button"
          aria-pressed={setup === id}
          data-testid={`setup-${id}`}
          title={title}
          onClick={() => choose(id)}
        >
          {label}
        </button>
      ))}
      {setup === 'custom' ? <span className="setup-custom">custom</span> : null}
    </div>
  );
}

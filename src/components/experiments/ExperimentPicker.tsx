import { ALL_EXPERIMENTS, type ExperimentId } from '../../core/experiments/experiments';

/** The experiments as radio buttons: the article's six, the equal-budget presets, then experiment 9 (published results). */
export function ExperimentPicker({
  selected,
  onSelect,
}: {
  selected: ExperimentId | null;
  onSelect: (id: ExperimentId) => void;
}) {
  return (
    <div className="experiment-picker" role="radiogroup" aria-label="Experiment">
      {ALL_EXPERIMENTS.map((e) => (
        <label key={e.id} className={`experiment-option${selected === e.id ? ' picked' : ''}`}>
          <input
            type="radio"
            name="experiment"
            value={e.id}
            checked={selected === e.id}
            onChange={() => onSelect(e.id)}
          />
          <span>
            <strong>
              {e.number}. {e.title}
            </strong>{' '}
            <span className="small muted">
              ({e.configs.length} config{e.configs.length === 1 ? '' : 's'})
            </span>
          </span>
        </label>
      ))}
    </div>
  );
}

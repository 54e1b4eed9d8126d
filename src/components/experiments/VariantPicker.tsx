import { VARIANT_IDS, VARIANTS, type VariantId } from '../../core/experiments/variants';

/** "Flip one assumption": variants to queue beside the article's setup, each with the same configs and seeds. */
export function VariantPicker({
  ticked,
  disabled,
  onChange,
}: {
  ticked: readonly VariantId[];
  disabled: boolean;
  onChange: (id: VariantId, on: boolean) => void;
}) {
  return (
    <fieldset className="variant-picker">
      <legend>Flip one assumption (queued beside the article’s setup, same configs and seeds)</legend>
      {VARIANT_IDS.map((v) => (
        <label key={v} className="check">
          <input
            type="checkbox"
            data-testid={`variant-${v}`}
            checked={ticked.includes(v)}
            disabled={disabled}
            onChange={(e) => onChange(v, e.target.checked)}
          />{' '}
          {VARIANTS[v].label}
        </label>
      ))}
    </fieldset>
  );
}

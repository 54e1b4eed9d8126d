import { useLab } from '../../store/context';
import { selectBackend, selectTensors } from '../../store/selectors';

/** What a developer wants to know about the run: the backend's full story and the tensor check. */
export function TechnicalDetails() {
  const backend = useLab(selectBackend);
  const tensors = useLab(selectTensors);
  return (
    <details className="tech" data-testid="technical-details">
      <summary>Technical details</summary>
      <p className="small">
        Backend: <strong data-testid="backend-name">{backend?.name ?? 'not started'}</strong>
        {backend ? <span className="muted"> — {backend.reason}</span> : null}
      </p>
      <p className="small">
        Tensors in the training worker:{' '}
        <span data-testid="worker-tensors">{tensors ? `${tensors.before} before, ${tensors.after} after` : 'no run yet'}</span>
        <span className="muted"> (equal: the run freed every tensor it made)</span>
      </p>
    </details>
  );
}

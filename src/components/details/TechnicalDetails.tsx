import { trialSentence, type BackendTrial } from '../../core/device/backendTrial';
import { formatMemory } from '../../core/device/deviceMemory';
import type { LabState } from '../../store/store';
import { useRun } from '../../store/hooks';

type TensorCheck = NonNullable<LabState['run']['tensors']>;

/** "12 before, 12 after (1.2 MB before, 1.2 MB after)". */
function tensorText(t: TensorCheck): string {
  return `${t.before} before, ${t.after} after (${formatMemory(t.bytesBefore)} before, ${formatMemory(t.bytesAfter)} after)`;
}

/** "231 MB in tensors, 260 MB of textures allocated; the images went to the device twice in this worker". */
function deviceText(t: TensorCheck): string {
  const allocated =
    t.device.allocated === null
      ? ''
      : `, ${formatMemory(t.device.allocated)} of textures allocated (in use or pooled for reuse)`;
  const n = t.device.uploads;
  return `${formatMemory(t.device.tensorBytes)} in tensors${allocated}; images uploaded to the device ${n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`} by this worker`;
}

/** backend=auto's trial in full: each backend's time, how they were had, the choice, the device. */
function TrialDetails({ trial }: { trial: BackendTrial }) {
  return (
    <p className="small">
      <span data-testid="backend-trial-details">{trialSentence(trial)}</span>
      <span className="muted">
        {' '}
        (Device: {trial.device}; networks of about 2<sup>{trial.sizeClass}</sup> floating-point operations a batch share
        a trial.)
      </span>
    </p>
  );
}

/** What a developer wants to know about the run: the backend's full story and the tensor check. */
export function TechnicalDetails() {
  const { backend, tensors } = useRun('backend', 'tensors');
  return (
    <details className="tech" data-testid="technical-details">
      <summary>Technical details</summary>
      <p className="small">
        Backend: <strong data-testid="backend-name">{backend?.name ?? 'not started'}</strong>
        {backend ? <span className="muted"> — {backend.reason}</span> : null}
      </p>
      {backend?.trial ? <TrialDetails trial={backend.trial} /> : null}
      <p className="small">
        Tensors of the run in the training worker (besides the images and the model it keeps):{' '}
        <span data-testid="worker-tensors">{tensors ? tensorText(tensors) : 'no run yet'}</span>
        <span className="muted"> (equal: the run freed every tensor it made)</span>
      </p>
      {tensors ? (
        <p className="small">
          Device memory of the worker after the run:{' '}
          <span
            data-testid="worker-memory"
            data-tensor-bytes={tensors.device.tensorBytes}
            data-allocated={tensors.device.allocated ?? ''}
            data-uploads={tensors.device.uploads}
          >
            {deviceText(tensors)}
          </span>
          <span className="muted">
            {' '}
            (with the images it keeps for the next runs, a split each, and the trained model it keeps for the drawings)
          </span>
        </p>
      ) : null}
    </details>
  );
}

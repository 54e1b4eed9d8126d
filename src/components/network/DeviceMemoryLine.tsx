import { formatMemory } from '../../core/device/deviceMemory';
import { useLab } from '../../store/context';
import { selectDeviceMemory, selectMemoryProblem } from '../../store/selectors';

/** The device memory a run of these settings needs (weights, optimizer, activations, images). */
export function DeviceMemoryLine() {
  const bytes = useLab(selectDeviceMemory);
  const tooBig = useLab(selectMemoryProblem) !== '';
  return (
    <p className={`small ${tooBig ? 'error' : 'muted'}`} data-testid="device-memory">
      Device memory for a run: about {formatMemory(bytes)}
      {tooBig ? ' (too much: see beside Train)' : ''}.
    </p>
  );
}

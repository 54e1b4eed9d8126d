import { formatMemory } from '../../core/device/deviceMemory';
import { useDeviceMemory, useMemoryProblem } from '../../store/hooks';

/** The device memory a run of these settings needs (weights, optimizer, activations, images). */
export function DeviceMemoryLine() {
  const bytes = useDeviceMemory();
  const tooBig = useMemoryProblem() !== '';
  return (
    <p className={`small ${tooBig ? 'error' : 'muted'}`} data-testid="device-memory">
      Device memory for a run: about {formatMemory(bytes)}
      {tooBig ? ' (too much: see beside Train)' : ''}.
    </p>
  );
}

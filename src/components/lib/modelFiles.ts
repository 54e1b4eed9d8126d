import { layersArtifacts, WEIGHTS_FILE } from '../../core/interchange/layersExport';
import type { TrainedModel } from '../../core/runs/model';
import type { TrainConfig } from '../../core/network/spec';
import { encodeConfig } from '../../core/link/urlCodec';
import { downloadBlob, downloadText } from './download';

/** Saves a trained model as model.json and model.weights.bin (TensorFlow.js's Layers format). */
export function downloadModel(model: TrainedModel, config: TrainConfig): void {
  const art = layersArtifacts(model, encodeConfig(config));
  downloadText('model.json', JSON.stringify(art.modelJson), 'application/json');
  downloadBlob(WEIGHTS_FILE, new Blob([art.weightData], { type: 'application/octet-stream' }));
}

import { layersArtifacts, WEIGHTS_FILE } from '../../core/layersExport';
import type { TrainedModel } from '../../core/model';
import type { TrainConfig } from '../../core/spec';
import { encodeConfig } from '../../core/urlCodec';
import { downloadBlob, downloadText } from './download';

/** Saves a trained model as model.json and model.weights.bin (TensorFlow.js's Layers format). */
export function downloadModel(model: TrainedModel, config: TrainConfig): void {
  const art = layersArtifacts(model, encodeConfig(config));
  downloadText('model.json', JSON.stringify(art.modelJson), 'application/json');
  downloadBlob(WEIGHTS_FILE, new Blob([art.weightData], { type: 'application/octet-stream' }));
}

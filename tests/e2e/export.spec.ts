import * as tf from '@tensorflow/tfjs';
import { expect, test } from '@playwright/test';
import { loadMnist } from '../unit/helpers';
import { downloads, waitForStatus } from './helpers';

test('issue 13: the draw panel exports the trained model as model.json + weights, and tf.loadLayersModel in Node reproduces its test accuracy on all 10,000 images', async ({
  page,
}) => {
  await page.goto('/?layers=24,12&act=sigmoid,relu&pre=scaled&opt=adam&epochs=1&subset=3000&seed=4&backend=wasm');
  await page.getByTestId('train-button').click();
  await waitForStatus(page, ['done']);
  const shown = Number(await page.getByTestId('test-accuracy').textContent());
  const button = page.getByTestId('export-model');
  await expect(button).toBeVisible();
  const saved = downloads(page, 2);
  await button.click();
  const files = await saved;
  const json = JSON.parse((files.get('model.json') as Buffer).toString('utf8')) as tf.io.ModelJSON & {
    userDefinedMetadata: { preprocessing: string; inputScale: number };
  };
  expect(json.userDefinedMetadata.preprocessing).toBe('scaled');
  const bin = files.get('model.weights.bin') as Buffer;
  expect(bin.length).toBe(4 * (784 * 24 + 24 + 24 * 12 + 12 + 12 * 10 + 10));
  await tf.setBackend('cpu');
  const model = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest[0]?.weights ?? [],
      weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.length),
    }),
  );
  const t = loadMnist('t10k', 10000);
  const scale = json.userDefinedMetadata.inputScale;
  const preds = tf.tidy(() =>
    (
      model.predict(
        tf.tensor2d(
          Float32Array.from(t.images, (b) => b * scale),
          [10000, 784],
        ),
      ) as tf.Tensor
    )
      .argMax(1)
      .dataSync(),
  );
  let right = 0;
  for (let i = 0; i < 10000; i++) if (preds[i] === t.labels[i]) right++;
  // The page shows 4 decimals of the lab's accuracy: the loaded model's must round to the same.
  expect((right / 10000).toFixed(4)).toBe(shown.toFixed(4));
  model.dispose();
});

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { expect, test, type Page } from '@playwright/test';
import { DIGITS, drawStrokes } from './drawing';
import { downloads, waitForStatus } from './helpers';

/** What the draw panel reads for each digit drawn: the predicted class and the ten probabilities shown. */
async function readings(page: Page): Promise<Record<string, { pred: string; probs: string[] }>> {
  const out: Record<string, { pred: string; probs: string[] }> = {};
  for (const [digit, strokes] of Object.entries(DIGITS)) {
    await drawStrokes(page, strokes);
    await expect(page.getByTestId('prediction')).not.toHaveText('');
    // Wait until the bars have numbers.
    await expect(page.getByTestId('probabilities').locator('.prob-value').first()).not.toHaveText('–');
    const read = async () => ({
      pred: (await page.getByTestId('prediction').textContent()) ?? '',
      probs: await page.getByTestId('probabilities').locator('.prob-value').allTextContents(),
    });
    // The reading of the whole digit: on a loaded machine the first one shown may be of its first
    // strokes, so wait until two readings half a second apart agree.
    let last = JSON.stringify(await read());
    await expect
      .poll(async () => {
        await page.waitForTimeout(500);
        const now = JSON.stringify(await read());
        const settled = now === last;
        last = now;
        return settled;
      })
      .toBe(true);
    out[digit] = JSON.parse(last) as { pred: string; probs: string[] };
    await page.getByTestId('clear-canvas').click();
    await expect(page.getByTestId('prediction')).toHaveText('');
  }
  return out;
}

/** model.json's text and weights, as TensorFlow.js's own save writes them, for `model`. */
async function tfjsFiles(model: tf.LayersModel): Promise<{ name: string; mimeType: string; buffer: Buffer }[]> {
  let files: { name: string; mimeType: string; buffer: Buffer }[] = [];
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      const json = {
        modelTopology: a.modelTopology,
        format: a.format,
        generatedBy: a.generatedBy,
        weightsManifest: [{ paths: ['./model.weights.bin'], weights: a.weightSpecs }],
      };
      files = [
        { name: 'model.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(json)) },
        {
          name: 'model.weights.bin',
          mimeType: 'application/octet-stream',
          buffer: Buffer.from(a.weightData as ArrayBuffer),
        },
      ];
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return files;
}

test('issue 13: a model exported from one profile and imported into a fresh one reads drawn digits as the original did; its Keras script\u2019s results import beside it; a CNN, a wrong input size and a truncated weights file each get a clear message', async ({
  page,
  browser,
}) => {
  // Train and export in this profile.
  await page.goto('/?layers=64&act=relu&pre=scaled&opt=adam&epochs=1&subset=6000&seed=3&backend=wasm');
  await page.getByTestId('train-button').click();
  await waitForStatus(page, ['done']);
  const testAcc = await page.getByTestId('test-accuracy').textContent();
  const original = await readings(page);
  const saved = downloads(page, 2);
  await page.getByTestId('export-model').click();
  const files = await saved;
  // The run's Keras script, run on the stand-in for Keras (tests/support/fake-keras): its results file.
  await page.getByTestId('tab-runs').click();
  await page.getByTestId('run-row').first().getByRole('checkbox').check();
  const script = downloads(page, 1);
  await page.getByTestId('export-keras').click();
  const [[, scriptText]] = [...(await script)] as [[string, Buffer]];
  const dir = mkdtempSync(join(tmpdir(), 'lab-keras-'));
  writeFileSync(join(dir, 'run.py'), scriptText);
  const py = spawnSync('python3', ['run.py', '-o', 'results.json'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, PYTHONPATH: resolve('tests/support/fake-keras') },
  });
  expect(py.stderr).toBe('');
  const results = readFileSync(join(dir, 'results.json'));

  // A fresh profile: nothing stored, no runs.
  const context = await browser.newContext();
  const fresh = await context.newPage();
  await fresh.goto('/');
  await expect(fresh.getByTestId('quick-train')).toBeVisible();
  await fresh.getByTestId('tab-runs').click();
  const input = fresh.getByTestId('import-model');
  await input.setInputFiles(
    [...files].map(([name, buffer]) => ({ name, mimeType: 'application/octet-stream', buffer })),
  );
  const status = fresh.getByTestId('import-status');
  await expect(status).toHaveAttribute('data-status', 'done');
  // Tested here on all 10,000 test images: the same accuracy the lab measured when it trained it.
  await expect(status).toContainText(`test accuracy ${testAcc ?? '?'} on the 10,000 test images`);
  const row = fresh.getByTestId('run-row').first();
  await expect(row.getByTestId('run-origin')).toHaveText('imported model (MLP Lab), tested here');
  await expect(row.getByTestId('run-test-acc')).toHaveText(testAcc ?? '?');
  await expect(fresh.getByTestId('model-in-use')).toContainText('64 relu, scaled inputs');
  expect(await readings(fresh)).toEqual(original);
  // The inside views use it: its confusion matrix covers the 10,000 test images at its accuracy.
  await fresh.getByTestId('tab-inside').click();
  await expect(fresh.getByTestId('confusion-matrix').locator('tbody tr')).toHaveCount(10);
  const cells = await fresh
    .getByTestId('confusion-matrix')
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((r) => Array.from(r.querySelectorAll('td')).map((td) => Number(td.textContent))));
  expect(cells.flat().reduce((a, b) => a + b, 0)).toBe(10000);
  expect((cells.reduce((s, row, i) => s + (row[i] ?? 0), 0) / 10000).toFixed(4)).toBe(testAcc);
  // The import survives a reload, with its model.
  await fresh.reload();
  await fresh.getByTestId('tab-runs').click();
  await expect(fresh.getByTestId('run-row').first().getByTestId('run-origin')).toBeVisible();
  await expect(fresh.getByTestId('model-in-use')).toContainText('64 relu');

  // The Keras script's results join the history beside it, marked where they ran.
  await fresh
    .getByTestId('import-results')
    .setInputFiles([{ name: 'results.json', mimeType: 'application/json', buffer: results }]);
  await expect(status).toHaveText(
    /^Imported 1 run \(ran in keras-3\.0\.0-fake-fake\); they are in the runs table, marked imported\./,
  );
  await expect(fresh.getByTestId('run-row')).toHaveCount(2);
  await expect(fresh.getByTestId('run-origin')).toHaveText([
    'imported model (MLP Lab), tested here',
    'ran in keras-3.0.0-fake-fake, imported',
  ]);
  await fresh.getByTestId('run-row').nth(1).getByTestId('run-export-model').waitFor({ state: 'detached' });
  await fresh.getByTestId('run-row').nth(1).getByTestId('run-test-acc').filter({ hasText: '0.8750' }).waitFor();

  // What does not fit: each says what, and adds no run.
  await tf.setBackend('cpu');
  const cnn = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 2, kernelSize: 3, name: 'conv' }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  await input.setInputFiles(await tfjsFiles(cnn));
  await expect(status).toHaveAttribute('data-status', 'error');
  await expect(status).toContainText('Layer 1 (conv) is a Conv2D layer: the lab runs only Dense layers');
  const small = tf.sequential({ layers: [tf.layers.dense({ inputShape: [100], units: 10, activation: 'softmax' })] });
  await input.setInputFiles(await tfjsFiles(small));
  await expect(status).toContainText("The model takes 100 inputs; the lab's images are 28×28 = 784 pixels");
  const weights = files.get('model.weights.bin') as Buffer;
  await input.setInputFiles([
    { name: 'model.json', mimeType: 'application/json', buffer: files.get('model.json') as Buffer },
    { name: 'model.weights.bin', mimeType: 'application/octet-stream', buffer: weights.subarray(0, 5000) },
  ]);
  await expect(status).toContainText(
    `The weights file is truncated: model.json describes ${weights.length.toLocaleString('en-US')} bytes of weights, model.weights.bin has 5,000.`,
  );
  await expect(fresh.getByTestId('run-row')).toHaveCount(2);
  cnn.dispose();
  small.dispose();
  await context.close();
});

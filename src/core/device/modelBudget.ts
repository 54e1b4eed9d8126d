/**
 * How much of the browser's storage trained models may take. Every finished run keeps its weights
 * and its 10,000 test predictions so the draw panel and the inside views can use it after a
 * reload; without a budget they would grow until the browser refuses to store anything. The
 * newest models are kept, within a count and a size; older ones are dropped (their runs, results
 * and charts stay), and the page says which.
 */
import { NUM_CLASSES } from '../network/spec';

export interface ModelBudget {
  /** At most this many models are kept. */
  readonly maxModels: number;
  /** And at most this many bytes of them. */
  readonly maxBytes: number;
}

/** The lab's budget: the newest 20 models, within 250 MB (a [4096] network's model is 13 MB). */
export const MODEL_BUDGET: ModelBudget = { maxModels: 20, maxBytes: 250_000_000 };

/** Test images whose predictions are kept with each model. */
const TEST_IMAGES = 10_000;

/** Bytes a kept model takes: float32 weights, plus labels, predicted classes and 10 probabilities per test image. */
export function keptModelBytes(params: number, testImages = TEST_IMAGES): number {
  return params * 4 + testImages * (1 + 1 + NUM_CLASSES * 4);
}

export interface StoredModelInfo {
  readonly id: string;
  /** When its run started (ms since 1970); newer models are kept first. */
  readonly startedAt: number;
  readonly bytes: number;
}

/**
 * Which stored models to drop so the rest fit the budget: the newest are kept while both the
 * count and the bytes fit; every older one is dropped (oldest last in the list returned). A model
 * that alone exceeds the byte budget is dropped even if it is the newest.
 */
export function modelsToDrop(models: readonly StoredModelInfo[], budget: ModelBudget = MODEL_BUDGET): string[] {
  const newest = [...models].sort((a, b) => b.startedAt - a.startedAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  const drop: string[] = [];
  let count = 0;
  let bytes = 0;
  for (const m of newest) {
    if (count < budget.maxModels && bytes + m.bytes <= budget.maxBytes) {
      count++;
      bytes += m.bytes;
    } else drop.push(m.id);
  }
  return drop;
}

/** "12.4 MB", "830 kB", "1.2 GB": bytes for people. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '–';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${u === 0 ? v : v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u] as string}`;
}

/** What the page says after models were dropped to stay within the budget ('' when none were). */
export function droppedText(names: readonly string[], budget: ModelBudget = MODEL_BUDGET): string {
  if (names.length === 0) return '';
  const list = names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
  return `Kept models are limited to the newest ${budget.maxModels} and ${formatBytes(budget.maxBytes)}: the trained model${names.length === 1 ? '' : 's'} of ${list} ${names.length === 1 ? 'was' : 'were'} dropped. Their results stay in the runs table; train again to draw with them.`;
}

/** The storage line: "Models kept: 5 (3.2 MB) · this site uses 60 MB of 12 GB · persistent". */
export function storageText(
  models: number,
  modelBytes: number,
  usage: number | null,
  quota: number | null,
  persisted: boolean | null,
): string {
  const parts = [
    `Models kept: ${models} (${formatBytes(modelBytes)}; the newest ${MODEL_BUDGET.maxModels} within ${formatBytes(MODEL_BUDGET.maxBytes)} are kept)`,
  ];
  if (usage !== null && quota !== null && quota > 0)
    parts.push(`this site uses ${formatBytes(usage)} of ${formatBytes(quota)} here (data files included)`);
  if (persisted === true) parts.push('storage is persistent');
  if (persisted === false) parts.push('the browser may clear this storage when space runs low');
  return parts.join(' · ');
}

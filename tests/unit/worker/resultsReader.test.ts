import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG } from '../../../src/core/network/spec';
import { runsToJson } from '../../../src/core/runs/runExport';
import { newRunRecord } from '../../../src/core/runs/runs';
import { readResults, RUNS_PER_MESSAGE, type ResultsMessage } from '../../../src/worker/resultsReader';

// The results worker's side (issue 26): the page gets what it is doing, then the new runs in
// chunks small enough to take in without a long task, then the counts; or why not.

const text = (n: number) =>
  runsToJson(
    Array.from({ length: n }, (_, i) => ({
      ...newRunRecord(`r${i}`, 1_700_000_000_000 + i, DEFAULT_CONFIG),
      status: 'done' as const,
      testAcc: 0.9,
      testLoss: 0.3,
    })),
    1_700_000_000_000,
  );
const file = (name: string, t: string) => ({ name, size: t.length, text: () => Promise.resolve(t) });

async function messages(request: Parameters<typeof readResults>[0]): Promise<ResultsMessage[]> {
  const got: ResultsMessage[] = [];
  await readResults(request, (m) => got.push(m));
  return got;
}

describe('the results worker', () => {
  test(`1,201 new runs come in chunks of ${RUNS_PER_MESSAGE}, after the stages and before the counts`, async () => {
    const got = await messages({ files: [file('r.json', text(1203))], have: ['r0', 'r1'], unreadable: [] });
    expect(got.map((m) => m.type)).toEqual(['stage', 'stage', 'runs', 'runs', 'runs', 'done']);
    const chunks = got.flatMap((m) => (m.type === 'runs' ? [m.runs.length] : []));
    expect(chunks).toEqual([500, 500, 201]);
    const ids = got.flatMap((m) => (m.type === 'runs' ? m.runs.map((r) => r.id) : []));
    expect(new Set(ids).size).toBe(1201);
    expect(ids).not.toContain('r0');
    expect(got.at(-1)).toEqual({ type: 'done', known: 2, skipped: [] });
  });

  test('a file that cannot be read ends in failed with the reason, and a throwing file too', async () => {
    expect((await messages({ files: [file('bad.json', '{')], have: [], unreadable: [] })).at(-1)).toMatchObject({
      type: 'failed',
      message: expect.stringMatching(/^bad\.json is not valid JSON/) as unknown,
    });
    const broken = { name: 'gone.json', size: 10, text: () => Promise.reject(new Error('the file was removed')) };
    expect((await messages({ files: [broken], have: [], unreadable: [] })).at(-1)).toEqual({
      type: 'failed',
      message: 'the file was removed',
    });
  });
});

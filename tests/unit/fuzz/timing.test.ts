import { describe, expect, test } from 'vitest';
import { expectLinear } from './arbitraries';

/** Sums i·j over all pairs: quadratic in the length of the input. */
function quadratic(xs: Float64Array): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) for (let j = 0; j < xs.length; j++) s += xs[i]! * xs[j]!;
  return s;
}

/** One pass, repeated so that it takes about as long as the quadratic reader. */
function linear(xs: Float64Array): number {
  let s = 0;
  for (let r = 0; r < 4000; r++) for (let i = 0; i < xs.length; i++) s += xs[i]! * r;
  return s;
}

describe('the fuzz tests’ linear-time check', () => {
  test('fails a reader that takes quadratic time, and passes one that takes linear time', () => {
    const n = 5000;
    const small = new Float64Array(n).fill(1);
    const large = new Float64Array(2 * n).fill(1);
    // One attempt, the fastest of 5 each: a busy machine (other test files) slows both inputs in
    // turn, and a quadratic reader stays 4× slower on twice the input.
    expect(() => expectLinear(quadratic, small, large, { slackMs: 5, reps: 5, attempts: 1 })).toThrow(
      /2× the input took/,
    );
    // The linear one may meet a slow moment on its larger input: measured again up to 8 times.
    expectLinear(linear, small, large, { slackMs: 5, attempts: 8 });
  });
});

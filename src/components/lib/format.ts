/** Display helpers shared by the views. */
export function fixed(n: number | null | undefined, digits = 4): string {
  return n === null || n === undefined || !Number.isFinite(n) ? '–' : n.toFixed(digits);
}

export function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const whole = Math.round(seconds); // round first, so 359.7 s reads "6 min 0 s", not "5 min 60 s"
  const m = Math.floor(whole / 60);
  return `${m} min ${whole - m * 60} s`;
}

export function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** A rate for the page, to 3 digits: 0.001, 0.000125, 2.78e-5, 4e-9. */
export function formatRate(rate: number): string {
  return rate === 0
    ? '0'
    : rate >= 1e-4
      ? String(Number(rate.toPrecision(3)))
      : Number(rate.toPrecision(3)).toExponential();
}

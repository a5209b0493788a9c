/** Numbers in check notes: 4 significant digits, enough to read, never rounded in the check values themselves. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  return a >= 1e4 || a < 1e-3 ? x.toExponential(3) : Number(x.toPrecision(4)).toString();
}

/** 0.1234 → "12.34 %". */
export function pct(x: number): string {
  return `${fmt(x * 100)} %`;
}

/** ISO date (UTC) of an epoch-ms time: for notes that name a day or a week. */
export function isoDay(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

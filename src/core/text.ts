/**
 * Numbers for people, in one place for the console, the CLI and the reports (JSON keeps full
 * precision and never goes through these).
 */

/** Sharpe, Sortino: the ratio of a return to its risk, always two decimals, wherever it is shown. */
export function ratio(x: number | null): string {
  return x === null || !Number.isFinite(x) ? '—' : x.toFixed(2);
}

/** A number of no particular kind: 3 significant digits below 100, one decimal above, integers as they are. */
export function num(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return '—';
  if (Number.isInteger(x)) return String(x);
  const a = Math.abs(x);
  if (a >= 100) return x.toFixed(1);
  if (a >= 1) return x.toFixed(2);
  return x.toPrecision(3);
}

/** `n thing` or `n things`: "1 run", never "1 runs". */
export function plural(n: number, thing: string, things = `${thing}s`): string {
  return `${n} ${n === 1 ? thing : things}`;
}

/** 0.1234 → "12.34%": the one percent format of human-facing text (facts, diagnoses, reports). */
export function pct(x: number, digits = 2): string {
  return `${(100 * x).toFixed(digits)}%`;
}

/** 0.1234 → "12.34%": the one percent format of human-facing text (facts, diagnoses, reports). */
export function pct(x: number, digits = 2): string {
  return `${(100 * x).toFixed(digits)}%`;
}

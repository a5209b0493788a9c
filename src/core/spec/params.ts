import type { Param } from './schema.ts';

/** True when `value` lies on the grid min + k·step (to within float noise) and within [min, max]. */
export function onGrid(p: Param, value: number): boolean {
  if (value < p.min || value > p.max) return false;
  const k = (value - p.min) / p.step;
  return Math.abs(k - Math.round(k)) <= 1e-9 * Math.max(1, Math.abs(k));
}

/** Why a param value is not allowed, or null. */
export function paramProblem(name: string, p: Param, value: number): string | null {
  if (!Number.isFinite(value)) return `param "${name}" must be a finite number, got ${value}`;
  if (value < p.min || value > p.max) return `param "${name}" = ${value} lies outside [${p.min}, ${p.max}]`;
  if (!onGrid(p, value)) return `param "${name}" = ${value} is not on its grid ${p.min} + k·${p.step}`;
  return null;
}

/** Every grid value of a param, ascending. */
export function gridValues(p: Param): number[] {
  const count = Math.floor((p.max - p.min) / p.step + 1e-9) + 1;
  return Array.from({ length: count }, (_, k) => Number((p.min + k * p.step).toPrecision(12)));
}

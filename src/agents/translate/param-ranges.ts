import { paramProblem } from '../../core/spec/params.ts';
import type { Param } from '../../core/spec/schema.ts';

/**
 * Turning a declared input (Pine `input.int/float`, or `param` in the rule language) into a spec
 * param with an optimizer range. Documented defaults, used when a bound or the step is missing:
 *
 *   integer, value v ≥ 1   min max(1, ⌊v/4⌋)   max 4v          step 1
 *   integer, v = 0         min −10             max 10          step 1
 *   integer, v ≤ −1        min 4v              max min(−1, ⌈v/4⌉) step 1
 *   float,   v > 0         min v/4             max 4v          step 10^(⌊log10 v⌋ − 1)  (2.0 → 0.1, 25 → 1)
 *   float,   v = 0         min −1              max 1           step 0.1
 *   float,   v < 0         min 4v              max v/4         step 10^(⌊log10 |v|⌋ − 1)
 *
 * A bound that is given wins; a defaulted max never falls below a given min (and vice versa).
 * The compiler requires the value on the grid min + k·step, so both bounds are then pulled
 * inwards to the nearest grid point through the value (Pine's step only steers its settings
 * dialog, so a script may well declare an off-grid range); a given bound that moves is reported.
 */

export interface DeclaredRange {
  readonly value: number;
  readonly min?: number | undefined;
  readonly max?: number | undefined;
  readonly step?: number | undefined;
  readonly integer: boolean;
}

export type RangeResult =
  | { readonly ok: true; readonly param: Param; readonly defaulted: readonly ('min' | 'max')[]; readonly moved: readonly string[] }
  | { readonly ok: false; readonly problem: string };

/** 12 significant digits: removes the binary noise of `min + k·step` the way the core's grid does. */
const clean = (x: number): number => Number(x.toPrecision(12));

export function defaultStep(value: number, integer: boolean): number {
  if (integer) return 1;
  if (value === 0) return 0.1;
  return Number(`1e${Math.floor(Math.log10(Math.abs(value))) - 1}`);
}

function defaultMin(v: number, integer: boolean): number {
  if (integer) return v >= 1 ? Math.max(1, Math.floor(v / 4)) : v === 0 ? -10 : 4 * v;
  return v > 0 ? v / 4 : v === 0 ? -1 : 4 * v;
}

function defaultMax(v: number, integer: boolean): number {
  if (integer) return v >= 1 ? 4 * v : v === 0 ? 10 : Math.min(-1, Math.ceil(v / 4));
  return v > 0 ? 4 * v : v === 0 ? 1 : v / 4;
}

export function rangeFor(d: DeclaredRange): RangeResult {
  const { value: v, integer } = d;
  if (!Number.isFinite(v)) return { ok: false, problem: `the default ${v} is not a finite number` };
  if (integer && !Number.isInteger(v)) return { ok: false, problem: `the default ${v} of an integer input is not an integer` };
  for (const [k, x] of [['minval', d.min], ['maxval', d.max], ['step', d.step]] as const) {
    if (x !== undefined && !Number.isFinite(x)) return { ok: false, problem: `${k} ${x} is not a finite number` };
  }
  if (d.step !== undefined && !(d.step > 0)) return { ok: false, problem: `step must be > 0, got ${d.step}` };
  if (integer && d.step !== undefined && !Number.isInteger(d.step)) return { ok: false, problem: `the step ${d.step} of an integer input is not an integer` };
  if (d.min !== undefined && d.max !== undefined && d.min > d.max) return { ok: false, problem: `minval ${d.min} is above maxval ${d.max}` };
  if (d.min !== undefined && v < d.min) return { ok: false, problem: `the default ${v} is below minval ${d.min}` };
  if (d.max !== undefined && v > d.max) return { ok: false, problem: `the default ${v} is above maxval ${d.max}` };

  const step = d.step ?? defaultStep(v, integer);
  const defaulted: ('min' | 'max')[] = [];
  let min = d.min;
  let max = d.max;
  if (min === undefined) { defaulted.push('min'); min = Math.min(defaultMin(v, integer), max ?? Infinity); }
  if (max === undefined) { defaulted.push('max'); max = Math.max(defaultMax(v, integer), min); }
  // Pull both bounds onto the grid through the value (the 1e-9 absorbs float noise in the division).
  const below = Math.floor((v - min) / step + 1e-9);
  const above = Math.floor((max - v) / step + 1e-9);
  const gridMin = clean(v - below * step);
  const gridMax = clean(v + above * step);
  const moved: string[] = [];
  if (d.min !== undefined && gridMin !== d.min) moved.push(`minval ${d.min} → ${gridMin}`);
  if (d.max !== undefined && gridMax !== d.max) moved.push(`maxval ${d.max} → ${gridMax}`);
  const param: Param = { value: v, min: gridMin, max: gridMax, step };
  const problem = paramProblem('', param, v);
  if (problem !== null) return { ok: false, problem: `no usable range (${problem})` };
  return { ok: true, param, defaulted, moved };
}

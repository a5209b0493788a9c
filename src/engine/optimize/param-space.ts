import { UserError } from '../../core/errors.ts';
import { gridValues } from '../../core/spec/params.ts';
import type { Spec } from '../../core/spec/schema.ts';
import { createRandom } from '../../core/random.ts';

/** One searched param and its step grid, ascending. */
export interface SearchedParam {
  name: string;
  values: number[];
}

export type ParamValues = Record<string, number>;

/**
 * The params a search moves: those with min < max, by name (not by JSON key order, so two specs with
 * the same hash enumerate the same trials), each on its step grid min + k·step.
 */
export function searchedParams(spec: Spec): SearchedParam[] {
  return Object.keys(spec.params).sort()
    .filter((name) => spec.params[name]!.max > spec.params[name]!.min)
    .map((name) => ({ name, values: gridValues(spec.params[name]!) }));
}

/** Number of grid points: the product of the grid sizes. */
export function gridSize(space: readonly SearchedParam[]): number {
  return space.reduce((p, s) => p * s.values.length, 1);
}

/** The grid point with mixed-radix index `index` (the first param varies slowest), over the spec's own values. */
export function gridPoint(spec: Spec, space: readonly SearchedParam[], index: number): ParamValues {
  const out: ParamValues = Object.fromEntries(Object.keys(spec.params).sort().map((k) => [k, spec.params[k]!.value]));
  let rest = index;
  for (let j = space.length - 1; j >= 0; j--) {
    const s = space[j]!;
    out[s.name] = s.values[rest % s.values.length]!;
    rest = Math.floor(rest / s.values.length);
  }
  return out;
}

function requireTrials(trials: number): void {
  if (!Number.isSafeInteger(trials) || trials < 1) throw new UserError(`optimize: trials must be a positive integer, got ${trials}`);
}

function requireSpace(spec: Spec): SearchedParam[] {
  const space = searchedParams(spec);
  if (space.length === 0) throw new UserError(`optimize ${spec.name}: no param has min < max, so there is nothing to search`);
  const size = gridSize(space);
  if (!Number.isSafeInteger(size)) throw new UserError(`optimize ${spec.name}: the param grid has ${size} points, too many to index; narrow the ranges or coarsen the steps`);
  return space;
}

/** Floyd's algorithm: `k` distinct integers of [0, n), seeded, without materialising [0, n). */
function sampleDistinct(n: number, k: number, random: () => number): number[] {
  const chosen = new Set<number>();
  for (let j = n - k; j < n; j++) {
    const t = Math.floor(random() * (j + 1));
    chosen.add(chosen.has(t) ? j : t);
  }
  return [...chosen];
}

/**
 * Grid search: every grid point in grid order when the grid has at most `trials` points, else a
 * seeded sample of `trials` distinct grid points without replacement (kept in grid order).
 */
export function gridTrials(spec: Spec, trials: number, seed: number): ParamValues[] {
  requireTrials(trials);
  const space = requireSpace(spec);
  const size = gridSize(space);
  const rng = createRandom(seed).fork('optimize-grid');
  const indices = size <= trials
    ? Array.from({ length: size }, (_, i) => i)
    : sampleDistinct(size, trials, () => rng.next()).sort((a, b) => a - b);
  return indices.map((i) => gridPoint(spec, space, i));
}

/**
 * Random search: seeded independent uniform draws of each param's grid index, duplicates skipped, in
 * draw order, until `trials` distinct points. When `trials` covers the grid, the whole grid in a
 * seeded random order (drawing until every point turned up could take forever).
 */
export function randomTrials(spec: Spec, trials: number, seed: number): ParamValues[] {
  requireTrials(trials);
  const space = requireSpace(spec);
  const size = gridSize(space);
  const rng = createRandom(seed).fork('optimize-random');
  if (size <= trials) return rng.shuffle(Array.from({ length: size }, (_, i) => i)).map((i) => gridPoint(spec, space, i));
  const seen = new Set<number>();
  const order: number[] = [];
  // With trials < size at least one new point exists, but a near-full request may need many draws:
  // past the cap, the missing points are taken from a seeded shuffle of the rest.
  const cap = 64 * trials;
  for (let draws = 0; order.length < trials && draws < cap; draws++) {
    let index = 0;
    for (const s of space) index = index * s.values.length + rng.int(0, s.values.length);
    if (!seen.has(index)) { seen.add(index); order.push(index); }
  }
  if (order.length < trials) {
    const rest = rng.shuffle(Array.from({ length: size }, (_, i) => i).filter((i) => !seen.has(i)));
    order.push(...rest.slice(0, trials - order.length));
  }
  return order.map((i) => gridPoint(spec, space, i));
}

/**
 * A new spec with `values` set: specs are frozen, so this copies the params (the rest is shared, read-only).
 * Range and grid are checked where every spec is checked, by compile().
 */
export function withParams(spec: Spec, values: ParamValues): Spec {
  for (const name of Object.keys(values)) {
    if (spec.params[name] === undefined) throw new UserError(`${spec.name}: no param "${name}" to set`);
  }
  const params = Object.fromEntries(Object.entries(spec.params).map(([name, p]) => [name, { ...p, value: values[name] ?? p.value }]));
  return { ...spec, params };
}

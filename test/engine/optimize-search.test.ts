import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.ts';
import { onGrid } from '../../src/core/spec/params.ts';
import { deepFreeze } from '../../src/core/spec/parse.ts';
import type { Spec } from '../../src/core/spec/schema.ts';
import { gridTrials, randomTrials, searchedParams, withParams } from '../../src/engine/optimize/param-space.ts';
import { TEST_SPEC } from './research-fixtures.ts';

// fast 2..10 step 2 (5 values), slow 10..30 step 10 (3), floor fixed at 0, plus a fractional step.
const SPEC: Spec = deepFreeze({
  ...TEST_SPEC,
  params: { ...TEST_SPEC.params, k: { value: 0.5, min: 0.1, max: 0.7, step: 0.3 } },
});

const key = (p: Record<string, number>): string => JSON.stringify(p);

function checkOnGrid(trials: Record<string, number>[]): void {
  for (const t of trials) {
    expect(Object.keys(t).sort()).toEqual(['fast', 'floor', 'k', 'slow']);
    expect(t.floor).toBe(0);
    for (const name of ['fast', 'slow', 'k']) expect(onGrid(SPEC.params[name]!, t[name]!)).toBe(true);
  }
}

describe('grid search', () => {
  it('enumerates the full grid exactly: product of the grid sizes, each point once, fixed params untouched', () => {
    const trials = gridTrials(SPEC, 1000, 1);
    expect(trials).toHaveLength(5 * 3 * 3);
    const expected: string[] = [];
    for (const fast of [2, 4, 6, 8, 10]) for (const k of [0.1, 0.4, 0.7]) for (const slow of [10, 20, 30]) expected.push(key({ fast, floor: 0, k, slow }));
    expect(trials.map(key)).toEqual(expected);
    checkOnGrid(trials);
    expect(searchedParams(SPEC).map((s) => s.name)).toEqual(['fast', 'k', 'slow']);
  });

  it('samples the grid without replacement when it is larger than trials, seeded', () => {
    const a = gridTrials(SPEC, 10, 42);
    expect(a).toHaveLength(10);
    expect(new Set(a.map(key)).size).toBe(10);
    checkOnGrid(a);
    expect(gridTrials(SPEC, 10, 42)).toEqual(a);
    expect(gridTrials(SPEC, 10, 43).map(key)).not.toEqual(a.map(key));
    const full = gridTrials(SPEC, 1000, 1).map(key);
    expect(a.map(key).every((k) => full.includes(k))).toBe(true);
    // Kept in grid order.
    const pos = a.map((t) => full.indexOf(key(t)));
    expect(pos).toEqual([...pos].sort((x, y) => x - y));
  });

  it('a seeded sample covers the grid evenly over many seeds (no point is favoured)', () => {
    const counts = new Map<string, number>();
    for (let seed = 0; seed < 900; seed++) for (const t of gridTrials(SPEC, 5, seed)) counts.set(key(t), (counts.get(key(t)) ?? 0) + 1);
    expect(counts.size).toBe(45);
    // Each of 45 points is drawn with probability 5/45 per seed: 100 expected, sd ≈ 9.4.
    for (const c of counts.values()) expect(Math.abs(c - 100)).toBeLessThan(45);
  });
});

describe('random search', () => {
  it('is seeded: same seed → same trials, another seed → others; distinct points on the grid', () => {
    const a = randomTrials(SPEC, 12, 7);
    expect(randomTrials(SPEC, 12, 7)).toEqual(a);
    expect(randomTrials(SPEC, 12, 8).map(key)).not.toEqual(a.map(key));
    expect(a).toHaveLength(12);
    expect(new Set(a.map(key)).size).toBe(12);
    checkOnGrid(a);
  });

  it('asking for the whole grid or more gives every point once, in a seeded order', () => {
    const a = randomTrials(SPEC, 45, 3);
    expect(new Set(a.map(key))).toEqual(new Set(gridTrials(SPEC, 45, 0).map(key)));
    expect(randomTrials(SPEC, 100, 3)).toEqual(a);
    const near = randomTrials(SPEC, 44, 3);
    expect(new Set(near.map(key)).size).toBe(44);
  });
});

describe('params', () => {
  it('withParams copies a frozen spec; the original keeps its values', () => {
    const s = withParams(SPEC, { fast: 8 });
    expect(s.params.fast!.value).toBe(8);
    expect(SPEC.params.fast!.value).toBe(4);
    expect(s.params.slow).toEqual(SPEC.params.slow);
    expect(() => withParams(SPEC, { nope: 1 })).toThrow(UserError);
  });

  it('nothing to search, or a non-positive trial count, is a UserError', () => {
    const fixed = { ...SPEC, params: { floor: SPEC.params.floor! } } as Spec;
    expect(() => gridTrials(fixed, 10, 1)).toThrow(/nothing to search/);
    expect(() => randomTrials(SPEC, 0, 1)).toThrow(UserError);
    expect(() => gridTrials(SPEC, 2.5, 1)).toThrow(UserError);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_GRID_POINTS, MAX_PARAM_POINTS, SpecSchema } from '../../src/core/spec/schema.ts';
import { formatZodError } from '../../src/core/errors.ts';

const base = JSON.parse(readFileSync(new URL('../../specs/rsi-reversion.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const withParams = (params: Record<string, unknown>) => ({ ...base, params, indicators: {}, rules: { long_entry: null, long_exit: null, short_entry: null, short_exit: null } });
const problems = (v: unknown): string => {
  const r = SpecSchema.safeParse(v);
  return r.success ? '' : formatZodError(r.error, 'spec');
};

describe('param grids are bounded when a spec is read (hardening)', () => {
  it('refuses [0, 4e8] step 1 and max 1e308, naming the param', () => {
    expect(problems(withParams({ n: { value: 1, min: 0, max: 4e8, step: 1 } })))
      .toContain(`params.n.step: the range [0, 400000000] in steps of 1 has more than ${MAX_PARAM_POINTS} grid points; narrow the range or coarsen the step`);
    expect(problems(withParams({ n: { value: 1, min: 0, max: 1e308, step: 1 } }))).toContain('params.n.step: the range [0, 1e+308]');
  });
  it('accepts exactly MAX_PARAM_POINTS points and refuses one more', () => {
    expect(problems(withParams({ n: { value: 0, min: 0, max: MAX_PARAM_POINTS - 1, step: 1 } }))).toBe('');
    expect(problems(withParams({ n: { value: 0, min: 0, max: MAX_PARAM_POINTS, step: 1 } }))).not.toBe('');
  });
  it('refuses params whose grids together exceed MAX_GRID_POINTS (1000³ = 1e9 allowed, ×2 not)', () => {
    const p = { value: 0, min: 0, max: 999, step: 1 };
    expect(problems(withParams({ a: p, b: p, c: p }))).toBe('');
    expect(MAX_GRID_POINTS).toBe(1000 ** 3);
    expect(problems(withParams({ a: p, b: p, c: p, d: { value: 0, min: 0, max: 1, step: 1 } }))).toContain("the params' grid has 2000000000 points together, more than 1000000000");
  });
});

// The two gates that judge the compiled spec rather than runs: complexity and causality.
import { describe, expect, it } from 'vitest';
import { causality } from '../../src/core/gates/causality.ts';
import { complexity } from '../../src/core/gates/complexity.ts';
import type { CompileReport } from '../../src/core/research/ports.ts';

const report = (indicators: number, longConditions: number, shortConditions: number, optimizableParams: number, unusedParams: string[] = []): CompileReport => ({
  complexity: { indicators, longConditions, shortConditions, optimizableParams },
  warmup: 20,
  unusedParams,
});

describe('complexity gate', () => {
  it('exactly at every DESIGN limit (5 indicators, 6 conditions per side, 6 params) passes', () => {
    const v = complexity(report(5, 6, 6, 6));
    expect(v.pass).toBe(true);
    expect(v.checks.map((c) => [c.name, c.value, c.threshold])).toEqual([
      ['indicators', 5, 5],
      ['long_conditions', 6, 6],
      ['short_conditions', 6, 6],
      ['optimizable_params', 6, 6],
    ]);
  });

  it('one over any limit fails that check only', () => {
    for (const [r, bad] of [[report(6, 1, 0, 1), 'indicators'], [report(1, 7, 0, 1), 'long_conditions'], [report(1, 1, 7, 1), 'short_conditions'], [report(1, 1, 0, 7), 'optimizable_params']] as const) {
      const v = complexity(r);
      expect(v.pass).toBe(false);
      expect(v.checks.filter((c) => !c.pass).map((c) => c.name)).toEqual([bad]);
    }
  });

  it('takes tightened limits and names unused params in the note', () => {
    const v = complexity(report(3, 2, 2, 2, ['hi']), { maxIndicators: 2, maxConditionsPerSide: 6, maxOptimizableParams: 6 });
    expect(v.checks[0]).toMatchObject({ name: 'indicators', value: 3, threshold: 2, pass: false });
    expect(v.checks[3]!.note).toMatch(/unused params: hi/);
  });
});

describe('causality gate', () => {
  it('passes with 0 mismatches when every probed cut agrees', () => {
    const v = causality({ ok: true, cuts: [120, 480, 911], mismatch: null });
    expect(v.pass).toBe(true);
    expect(v.checks[0]).toMatchObject({ name: 'causality_mismatches', value: 0, threshold: 0, op: '<=' });
    expect(v.checks[0]!.note).toMatch(/3 cut\(s\) probed/);
  });

  it('fails with value 1 and the first mismatch in the note', () => {
    const v = causality({ ok: false, cuts: [120, 480], mismatch: { cut: 480, bar: 473 } });
    expect(v.pass).toBe(false);
    expect(v.checks[0]).toMatchObject({ value: 1, pass: false });
    expect(v.checks[0]!.note).toMatch(/after 480 removed, the signal at bar 473 changed/);
  });

  it('fails when nothing was probed, or the report contradicts itself', () => {
    expect(causality({ ok: true, cuts: [], mismatch: null }).checks[0]).toMatchObject({ value: null, pass: false });
    expect(causality({ ok: false, cuts: [5], mismatch: null }).checks[0]).toMatchObject({ value: 1, pass: false });
    expect(causality({ ok: true, cuts: [5], mismatch: { cut: 5, bar: 3 } }).pass).toBe(false);
  });
});

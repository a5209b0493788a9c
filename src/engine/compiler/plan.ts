import { UserError } from '../../core/errors.ts';
import { forEachComparison, parseOperand, resolveNumber } from '../../core/spec/references.ts';
import type { Condition, IndicatorFn, Op, Spec } from '../../core/spec/schema.ts';
import { INDICATOR_OUTPUTS } from '../../core/spec/vocabulary.ts';
import { checkIndicatorArgs, indicatorWarmup, type IndicatorArgs } from '../indicators/registry.ts';

/** An operand resolved at compile time: a constant, or a named series read `lag` bars back. */
export type OperandPlan = { kind: 'const'; value: number } | { kind: 'series'; key: string; lag: number };

export type ConditionPlan =
  | { kind: 'cmp'; left: OperandPlan; op: Op; right: OperandPlan }
  | { kind: 'all'; parts: ConditionPlan[] }
  | { kind: 'any'; parts: ConditionPlan[] }
  | { kind: 'not'; part: ConditionPlan };

export interface IndicatorPlan {
  id: string;
  fn: IndicatorFn;
  args: IndicatorArgs;
  /** Series keys of the outputs, in INDICATOR_OUTPUTS order (`id` or `id.output`). */
  keys: string[];
  warmup: number;
}

export function planIndicators(spec: Spec): IndicatorPlan[] {
  return Object.entries(spec.indicators).map(([id, def]) => {
    const args: IndicatorArgs = {};
    for (const [key, v] of Object.entries(def)) {
      if (key === 'fn' || v === undefined) continue;
      args[key] = key === 'source' ? (v as string) : resolveNumber(spec, v as number | string, `indicators.${id}.${key}`);
    }
    const problem = checkIndicatorArgs(def.fn, args);
    if (problem !== null) throw new UserError(`indicators.${id}: ${problem}`);
    const outputs = INDICATOR_OUTPUTS[def.fn];
    return { id, fn: def.fn, args, keys: outputs === null ? [id] : outputs.map((o) => `${id}.${o}`), warmup: indicatorWarmup(def.fn, args) };
  });
}

function planOperand(spec: Spec, x: number | string, where: string): OperandPlan {
  const ref = parseOperand(spec, x, where);
  switch (ref.kind) {
    case 'number': return { kind: 'const', value: ref.value };
    case 'param': return { kind: 'const', value: (ref.negate ? -1 : 1) * spec.params[ref.name]!.value };
    case 'field': return { kind: 'series', key: ref.field, lag: ref.lag };
    case 'indicator': return { kind: 'series', key: ref.output === null ? ref.id : `${ref.id}.${ref.output}`, lag: ref.lag };
  }
}

export function planCondition(spec: Spec, cond: Condition, where: string): ConditionPlan {
  if (Array.isArray(cond)) {
    const [l, op, r] = cond;
    return { kind: 'cmp', left: planOperand(spec, l, `${where}[0]`), op, right: planOperand(spec, r, `${where}[2]`) };
  }
  if ('all' in cond) return { kind: 'all', parts: cond.all.map((c, k) => planCondition(spec, c, `${where}.all[${k}]`)) };
  if ('any' in cond) return { kind: 'any', parts: cond.any.map((c, k) => planCondition(spec, c, `${where}.any[${k}]`)) };
  return { kind: 'not', part: planCondition(spec, cond.not, `${where}.not`) };
}

/** Params the spec declares but never reads. */
export function unusedParams(spec: Spec): string[] {
  const used = new Set<string>();
  const note = (v: unknown): void => {
    if (typeof v === 'string' && /^-?\$/.test(v)) used.add(v.replace(/^-?\$/, ''));
  };
  for (const def of Object.values(spec.indicators)) Object.values(def).forEach(note);
  for (const rule of Object.values(spec.rules)) {
    if (rule !== null) forEachComparison(rule, '', ([l, , r]) => { note(l); note(r); });
  }
  return Object.keys(spec.params).filter((p) => !used.has(p));
}

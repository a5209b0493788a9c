import type { Condition, Spec } from './schema.ts';

/** Complexity limits (DESIGN §6); a research config may tighten them. */
export interface ComplexityLimits {
  maxIndicators: number;
  maxConditionsPerSide: number;
  maxOptimizableParams: number;
}
export const DEFAULT_LIMITS: ComplexityLimits = { maxIndicators: 5, maxConditionsPerSide: 6, maxOptimizableParams: 6 };

export interface Complexity {
  indicators: number;
  longConditions: number;
  shortConditions: number;
  optimizableParams: number;
}

export function countComparisons(c: Condition | null): number {
  if (c === null) return 0;
  if (Array.isArray(c)) return 1;
  if ('all' in c) return c.all.reduce((s, x) => s + countComparisons(x), 0);
  if ('any' in c) return c.any.reduce((s, x) => s + countComparisons(x), 0);
  return countComparisons(c.not);
}

/** A param is optimisable when its range leaves room to move. */
export function measureComplexity(spec: Spec): Complexity {
  return {
    indicators: Object.keys(spec.indicators).length,
    longConditions: countComparisons(spec.rules.long_entry) + countComparisons(spec.rules.long_exit),
    shortConditions: countComparisons(spec.rules.short_entry) + countComparisons(spec.rules.short_exit),
    optimizableParams: Object.values(spec.params).filter((p) => p.max > p.min).length,
  };
}

/** Each limit the spec breaks, as a sentence with the measured value and the limit. */
export function complexityViolations(c: Complexity, limits: ComplexityLimits = DEFAULT_LIMITS): string[] {
  const out: string[] = [];
  if (c.indicators > limits.maxIndicators) out.push(`${c.indicators} indicators > ${limits.maxIndicators} allowed`);
  if (c.longConditions > limits.maxConditionsPerSide) out.push(`${c.longConditions} long-side conditions > ${limits.maxConditionsPerSide} allowed`);
  if (c.shortConditions > limits.maxConditionsPerSide) out.push(`${c.shortConditions} short-side conditions > ${limits.maxConditionsPerSide} allowed`);
  if (c.optimizableParams > limits.maxOptimizableParams) out.push(`${c.optimizableParams} optimisable params > ${limits.maxOptimizableParams} allowed`);
  return out;
}

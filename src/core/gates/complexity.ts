import { check, verdict } from '../research/gate.ts';
import type { GateVerdict } from '../research/gate.ts';
import type { CompileReport } from '../research/ports.ts';
import type { ComplexityLimits } from '../spec/complexity.ts';
import { DEFAULT_GATE_CONFIG } from './config.ts';

/**
 * Complexity (DESIGN §6): every count the compiler measured against its limit. Conditions count
 * comparisons per side (entry + exit rules of that side); a param is optimisable when its range
 * leaves room to move (`measureComplexity`).
 */
export function complexity(report: CompileReport, limits: ComplexityLimits = DEFAULT_GATE_CONFIG.complexity): GateVerdict {
  const c = report.complexity;
  const unused = report.unusedParams.length > 0 ? `; unused params: ${report.unusedParams.join(', ')}` : '';
  return verdict('complexity', [
    check('indicators', c.indicators, '<=', limits.maxIndicators),
    check('long_conditions', c.longConditions, '<=', limits.maxConditionsPerSide, 'long_entry + long_exit comparisons'),
    check('short_conditions', c.shortConditions, '<=', limits.maxConditionsPerSide, 'short_entry + short_exit comparisons'),
    check('optimizable_params', c.optimizableParams, '<=', limits.maxOptimizableParams, `params whose range has max > min${unused}`),
  ]);
}

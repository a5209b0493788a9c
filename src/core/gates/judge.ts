import type { GateVerdict } from '../research/gate.ts';
import type { Judge, JudgeInput } from '../research/policy.ts';
import { createRandom } from '../random.ts';
import type { GateConfig } from './config.ts';
import { DEFAULT_GATE_CONFIG } from './config.ts';
import { causality } from './causality.ts';
import { complexity } from './complexity.ts';
import { distribution } from './distribution.ts';
import { holdout } from './holdout.ts';
import { multipleTesting } from './multiple-testing.ts';
import { pooledSharpe } from './portfolio.ts';
import { robustness } from './robustness.ts';
import { viability } from './viability.ts';

/** Gates that must all have passed before a promotion may open the holdout (I5). */
export const REQUIRED_GATES = ['complexity', 'causality', 'viability', 'distribution', 'robustness', 'multiple_testing'] as const;

/**
 * The gates in the order the loop applies them after a run: cheapest and most decisive first,
 * so most strategies die early. Evaluation stops at the first failure (DESIGN §6: harsh, early).
 */
export function gatesJudge(config: GateConfig = DEFAULT_GATE_CONFIG): Judge {
  return {
    required: REQUIRED_GATES,
    complexity: (report) => complexity(report, config.complexity),
    pooledSharpe: (runs) => pooledSharpe(runs),
    holdout: (visible, sealed, meta) => holdout(visible, sealed, meta, config.holdout),
    judge(input: JudgeInput): GateVerdict[] {
      const steps: Array<() => GateVerdict> = [
        () => causality(input.causality),
        () => viability(input.runs, input.meta, config.viability),
        () => distribution(input.runs, config.distribution),
        () => {
          const rng = createRandom(`robustness:${input.seed}`);
          return robustness(input.runs, () => rng.next(), config.robustness);
        },
        () => multipleTesting({ runs: input.runs, trials: input.trialSharpes, optimization: input.optimization }, config.multipleTesting),
      ];
      const out: GateVerdict[] = [];
      for (const step of steps) {
        const v = step();
        out.push(v);
        if (!v.pass) break;
      }
      return out;
    },
  };
}

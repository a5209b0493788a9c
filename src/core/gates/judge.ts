import type { GateVerdict } from '../research/gate.ts';
import type { Judge, JudgeInput } from '../research/policy.ts';
import { createRandom } from '../random.ts';
import { DEFAULT_VERSIONED_CONFIG } from './config.ts';
import type { VersionedGateConfig } from './config.ts';
import { causality } from './causality.ts';
import { complexity } from './complexity.ts';
import { distribution } from './distribution.ts';
import { edgeGate } from './edge-gate.ts';
import { confirmation } from './confirmation.ts';
import { multipleTesting } from './multiple-testing.ts';
import { pooledSharpe } from './portfolio.ts';
import { robustness } from './robustness.ts';
import { viability } from './viability.ts';

/** Gates that must all PASS before a promotion may open the holdout (I5). */
export const REQUIRED_GATES = ['complexity', 'causality', 'viability', 'edge', 'distribution', 'robustness', 'multiple_testing'] as const;

/**
 * The screening gates in the order the loop applies them after every engine step: cheapest and most
 * decisive first. Every gate runs and reports (docs/gates.md); the loop kills at the first FAIL in this
 * order, and answers INSUFFICIENT by buying evidence. Every verdict names the config version.
 */
export function gatesJudge(versioned: VersionedGateConfig = DEFAULT_VERSIONED_CONFIG): Judge {
  const { config, version } = versioned;
  const stamp = (v: GateVerdict): GateVerdict => ({ ...v, config_version: version });
  return {
    required: REQUIRED_GATES,
    version,
    configHash: versioned.hash,
    complexity: (report) => stamp(complexity(report, config.complexity)),
    pooledSharpe: (runs) => pooledSharpe(runs, { hedged: true }),
    confirmationMinT: config.confirmation.minT,
    confirmation: (fresh, held) => stamp(confirmation(fresh, held, config.confirmation, config.distribution)),
    judge(input: JudgeInput): GateVerdict[] {
      const rng = createRandom(`robustness:${input.seed}`);
      return [
        causality(input.causality),
        viability(input.runs, { symbols: input.scopeSymbols }, config.viability, config.edge),
        edgeGate(input.runs, config.edge),
        distribution(input.runs, config.distribution),
        robustness(input.runs, () => rng.next(), config.robustness, config.edge),
        multipleTesting({
          runs: input.runs, trials: input.trials, optimization: input.optimization,
          minimum: { trades: config.edge.minTrades, clusters: config.edge.minClusters },
        }, config.multipleTesting),
      ].map(stamp);
    },
  };
}

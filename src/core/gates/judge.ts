import type { GateVerdict } from '../research/gate.ts';
import type { Judge, JudgeInput } from '../research/policy.ts';
import { createRandom } from '../random.ts';
import { DEFAULT_VERSIONED_CONFIG } from './config.ts';
import type { VersionedGateConfig } from './config.ts';
import { complexity } from './complexity.ts';
import { REQUIRED_GATES, SCREEN_GATES } from './registry.ts';
import { confirmation } from './confirmation.ts';
import { pooledSharpe } from './portfolio.ts';

export { REQUIRED_GATES } from './registry.ts';

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
      return SCREEN_GATES.map((g) => stamp(g.run(input, config, () => rng.next())));
    },
  };
}

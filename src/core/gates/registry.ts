import type { GateName, GateVerdict } from '../research/gate.ts';
import type { JudgeInput } from '../research/policy.ts';
import type { GateConfig, SectionName } from './config.ts';
import { causality } from './causality.ts';
import { distribution } from './distribution.ts';
import { edgeGate } from './edge-gate.ts';
import { multipleTesting } from './multiple-testing.ts';
import { robustness } from './robustness.ts';
import { viability } from './viability.ts';

/**
 * The gate registry (docs/gates.md): every gate judgement v2 runs, in the order the loop applies
 * them, with when it judges, whether a promotion needs it passed, the config section holding its
 * thresholds (config.ts validates and tightens by section), and, for the screening gates, how it runs.
 * Every gate list — the judge's order, the gates a promotion requires, the report's order — is derived
 * from this table, so a new gate is one row (and its function).
 */
interface Row<G extends GateName> {
  name: G;
  /** compile: once, on the compiled spec; screen: after every engine step; confirm: once, at promotion. */
  stage: 'compile' | 'screen' | 'confirm';
  /** Must PASS before a promotion may open the confirmation (I5). */
  required: boolean;
  /** The config section (config.ts: schema, defaults and tightening in one row) with its thresholds, or null. */
  config: SectionName | null;
}

interface ScreenRow<G extends GateName> extends Row<G> {
  stage: 'screen';
  run(input: JudgeInput, config: GateConfig, random: () => number): GateVerdict;
}

type AnyRow = Row<GateName> | ScreenRow<GateName>;

const ROWS = [
  { name: 'complexity', stage: 'compile', required: true, config: 'complexity' },
  { name: 'causality', stage: 'screen', required: true, config: null, run: (i) => causality(i.causality) },
  { name: 'viability', stage: 'screen', required: true, config: 'viability', run: (i, c) => viability(i.runs, { symbols: i.scopeSymbols }, c.viability, c.edge) },
  { name: 'edge', stage: 'screen', required: true, config: 'edge', run: (i, c) => edgeGate(i.runs, c.edge) },
  { name: 'distribution', stage: 'screen', required: true, config: 'distribution', run: (i, c) => distribution(i.runs, c.distribution) },
  { name: 'robustness', stage: 'screen', required: true, config: 'robustness', run: (i, c, random) => robustness(i.runs, random, c.robustness, c.edge) },
  {
    name: 'multiple_testing', stage: 'screen', required: true, config: 'multipleTesting',
    run: (i, c) => multipleTesting({ runs: i.runs, trials: i.trials, optimization: i.optimization, minimum: { trades: c.edge.minTrades, clusters: c.edge.minClusters } }, c.multipleTesting),
  },
  { name: 'confirmation', stage: 'confirm', required: false, config: 'confirmation' },
] as const satisfies ReadonlyArray<Row<GateName> & { stage: 'compile' | 'confirm' } | ScreenRow<GateName>>;

export const GATE_REGISTRY: readonly AnyRow[] = ROWS;

/**
 * Every config section is some gate's: a section no row names would be thresholds nothing reads, and
 * the compiler refuses it here (the type is `never` unless every section appears in a row).
 */
type Unread = Exclude<SectionName, (typeof ROWS)[number]['config']>;
export const EVERY_SECTION_IS_READ: [Unread] extends [never] ? true : Unread = true;

function isScreen(r: AnyRow): r is ScreenRow<GateName> {
  return r.stage === 'screen';
}

/** The screening gates in the loop's order. */
export const SCREEN_GATES: readonly ScreenRow<GateName>[] = GATE_REGISTRY.filter(isScreen);

/** Gates that must all PASS before a promotion may open the confirmation (I5). */
export const REQUIRED_GATES: readonly GateName[] = GATE_REGISTRY.filter((r) => r.required).map((r) => r.name);

/** Every gate in the order the loop judges them: the order reports list them in. */
export const GATE_ORDER: readonly GateName[] = GATE_REGISTRY.map((r) => r.name);

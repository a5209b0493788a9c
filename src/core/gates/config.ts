import { z } from 'zod';
import { UserError, formatZodError } from '../errors.ts';
import { canonicalJson, sha256 } from '../spec/hash.ts';
import { GATES_VERSION } from '../research/gate.ts';
import { MIN_EDGE_CLUSTERS, MIN_EDGE_TRADES } from '../stats/index.ts';

/**
 * Gate thresholds (DESIGN §6). A research config may tighten them; it may never loosen one silently
 * (`tightenOnly` refuses): a looser gate is a new config, identified by `configHash` and logged.
 */

const fraction = z.number().min(0, { message: 'must be ≥ 0' }).max(1, { message: 'must be ≤ 1' });
const positiveFraction = z.number().positive({ message: 'must be > 0' }).max(1, { message: 'must be ≤ 1' });
const count = z.number().int({ message: 'must be a whole number' }).nonnegative({ message: 'must be ≥ 0' });
const rate = z.number().nonnegative({ message: 'must be ≥ 0' });

const perInterval = z.strictObject({ '1m': z.number(), '5m': z.number(), '10m': z.number(), '15m': z.number(), '30m': z.number(), '1h': z.number(), '4h': z.number(), '1d': z.number() });

export const ViabilityConfigSchema = z.strictObject({
  /**
   * Scope trade rate (trades per symbol-year × symbols in scope) by the MEASURED median holding time:
   * under 10 days, under 60 days, beyond.
   */
  minScopeTradeRate: z.strictObject({ under10d: rate, under60d: rate, beyond: rate }),
  /** Of the equal-weight portfolio of the tested set hedged with the equal-weight market, a positive fraction. */
  maxHedgedDrawdown: fraction,
  /**
   * The drawdown is judged once the tested set holds this many symbols (or the whole scope, if smaller):
   * the drawdown of a few names is their idiosyncratic risk, which more names diversify away.
   */
  minDrawdownSymbols: count.min(1, { message: 'must be ≥ 1' }),
  /** Mean net per-trade return floor (0.002 = 0.2 %), per interval. */
  minAvgTradeReturn: perInterval,
});

/** The minimum sample for any edge judgement, and the edge gate's threshold on the clustered t. */
export const EdgeConfigSchema = z.strictObject({
  minT: z.number(),
  minTrades: count.min(2, { message: 'must be ≥ 2' }),
  minClusters: count.min(2, { message: 'must be ≥ 2' }),
  /** One-sided confidence of the bounds that decide a FAIL (robustness retention, the trade-return floor). */
  confidence: z.number().gt(0.5, { message: 'must be > 0.5' }).lt(1, { message: 'must be < 1' }),
});

export const DistributionConfigSchema = z.strictObject({
  /** How many of the best trades are summed against the total PnL. */
  topTrades: count.min(1, { message: 'must be ≥ 1' }),
  maxTopTradesShare: z.number().nonnegative({ message: 'must be ≥ 0' }),
  maxDayShare: fraction,
  maxWeekShare: fraction,
  /** Width of the sliding window, as a fraction of the time span. */
  sliceFraction: positiveFraction,
  maxSliceTradeShare: fraction,
  /** Fewer pooled trades than this are not judged (INSUFFICIENT). */
  minTrades: count,
});

export const RobustnessConfigSchema = z.strictObject({
  /** Mean excess trade return on a part ≥ minRetention × on its reference passes; an upper bound below it fails. */
  minRetention: z.number(),
  /** K seeded random subsamples; their median retention is judged. */
  subsamples: count.min(1, { message: 'must be ≥ 1' }),
  /** The train part is the first `trainFraction` of the span, the test part the rest. */
  trainFraction: z.number().gt(0, { message: 'must be > 0' }).lt(1, { message: 'must be < 1' }),
  /** Each random subsample is a contiguous window this fraction of the span wide. */
  subsampleFraction: positiveFraction,
});

export const ComplexityConfigSchema = z.strictObject({
  maxIndicators: count,
  maxConditionsPerSide: count,
  maxOptimizableParams: count,
});

export const MultipleTestingConfigSchema = z.strictObject({
  minDsr: fraction,
  /**
   * DSR at or below this is a FAIL: the Sharpe is significantly below the expected best of N zero-skill
   * trials (0.05: a one-sided 95 % bound). Between it and minDsr the evidence is not decided yet.
   */
  failDsr: fraction,
  minPsr: fraction,
  maxPbo: fraction,
  /** MinBTL's E_target when the observed annualised Sharpe is not positive (otherwise the observed one is used). */
  minBtlTargetSharpe: z.number().positive({ message: 'must be > 0' }),
  /** CSCV blocks S (even). */
  pboBlocks: count.min(2, { message: 'must be ≥ 2' }).refine((s) => s % 2 === 0, { message: 'must be even' }),
});

export const ConfirmationConfigSchema = z.strictObject({
  /** The pooled legs' clustered t of the mean excess trade return must reach this (one-sided 95 %: 1.645). */
  minT: z.number().positive({ message: 'must be > 0' }),
});

type DeepReadonly<T> = { readonly [K in keyof T]: T[K] extends object ? DeepReadonly<T[K]> : T[K] };

function deepFreeze<T>(o: T): DeepReadonly<T> {
  if (o !== null && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o as DeepReadonly<T>;
}

/**
 * Which way each field tightens the gate. `raise`: a higher value is harsher (a minimum, or a
 * count whose max/min only grows with it); `lower`: a lower value is harsher; `fixed`: neither
 * direction is harsher in general, so changing it is a new config version, never a tightening.
 */
type Direction = 'raise' | 'lower' | 'fixed';
type Directions<T> = { readonly [K in keyof T]: T[K] extends number ? Direction : Directions<T[K]> };

/** One gate's config section: its schema, the shipped defaults and which way each field tightens — declared together. */
interface Section<S extends z.ZodType> {
  schema: S;
  defaults: z.infer<S>;
  tightening: Directions<z.infer<S>>;
}

function section<S extends z.ZodType>(schema: S, defaults: z.infer<S>, tightening: Directions<z.infer<S>>): Section<S> {
  return { schema, defaults, tightening };
}

const everyInterval = <T>(v: T) => ({ '1m': v, '5m': v, '10m': v, '15m': v, '30m': v, '1h': v, '4h': v, '1d': v });

/**
 * The sections of the gates@2 config (docs/gates.md), one row each: the gate registry (registry.ts)
 * names the section each gate reads, and the schema, the defaults and the tightening table below are
 * all derived from these rows, so a new gate's thresholds are one row here.
 * Tightening notes:
 * - the sample minimums (edge.minTrades/minClusters, distribution.minTrades) are fixed: a larger one
 *   makes INSUFFICIENT likelier but FAIL rarer, so it is neither harsher nor looser. A higher
 *   edge.confidence makes FAIL rarer: it loosens.
 * - distribution.topTrades is fixed: the (k+1)-th best trade may be a loss, so a larger k can
 *   shrink the top-k share. distribution.sliceFraction raises: a wider window holds at least as many trades.
 * - robustness.subsamples is fixed: the gate judges the MEDIAN retention of the K subsamples, which
 *   more subsamples can move either way; trainFraction / subsampleFraction are fixed: moving a split
 *   helps some strategies and hurts others.
 * - multipleTesting.minBtlTargetSharpe lowers: MinBTL = (EmaxZ(N)/E)² grows as E falls.
 */
export const GATE_SECTIONS = {
  viability: section(ViabilityConfigSchema, {
    minScopeTradeRate: { under10d: 100, under60d: 40, beyond: 15 },
    maxHedgedDrawdown: 0.25,
    minDrawdownSymbols: 10,
    minAvgTradeReturn: everyInterval(0.002),
  }, {
    minScopeTradeRate: { under10d: 'raise', under60d: 'raise', beyond: 'raise' },
    maxHedgedDrawdown: 'lower',
    minDrawdownSymbols: 'fixed',
    minAvgTradeReturn: everyInterval('raise' as const),
  }),
  edge: section(EdgeConfigSchema,
    { minT: 2, minTrades: MIN_EDGE_TRADES, minClusters: MIN_EDGE_CLUSTERS, confidence: 0.95 },
    { minT: 'raise', minTrades: 'fixed', minClusters: 'fixed', confidence: 'lower' }),
  distribution: section(DistributionConfigSchema,
    { topTrades: 5, maxTopTradesShare: 0.5, maxDayShare: 0.25, maxWeekShare: 0.4, sliceFraction: 0.05, maxSliceTradeShare: 0.25, minTrades: 100 },
    { topTrades: 'fixed', maxTopTradesShare: 'lower', maxDayShare: 'lower', maxWeekShare: 'lower', sliceFraction: 'raise', maxSliceTradeShare: 'lower', minTrades: 'fixed' }),
  robustness: section(RobustnessConfigSchema,
    { minRetention: 0.5, subsamples: 8, trainFraction: 0.7, subsampleFraction: 0.5 },
    { minRetention: 'raise', subsamples: 'fixed', trainFraction: 'fixed', subsampleFraction: 'fixed' }),
  complexity: section(ComplexityConfigSchema,
    { maxIndicators: 5, maxConditionsPerSide: 6, maxOptimizableParams: 6 },
    { maxIndicators: 'lower', maxConditionsPerSide: 'lower', maxOptimizableParams: 'lower' }),
  multipleTesting: section(MultipleTestingConfigSchema,
    { minDsr: 0.95, failDsr: 0.05, minPsr: 0.95, maxPbo: 0.5, minBtlTargetSharpe: 1, pboBlocks: 16 },
    { minDsr: 'raise', failDsr: 'raise', minPsr: 'raise', maxPbo: 'lower', minBtlTargetSharpe: 'lower', pboBlocks: 'fixed' }),
  confirmation: section(ConfirmationConfigSchema, { minT: 1.645 }, { minT: 'raise' }),
};

type Sections = typeof GATE_SECTIONS;
export type SectionName = keyof Sections;

function fromSections<K extends 'schema' | 'defaults' | 'tightening'>(part: K): { [N in SectionName]: Sections[N][K] } {
  return Object.fromEntries(Object.entries(GATE_SECTIONS).map(([name, row]) => [name, row[part]])) as { [N in SectionName]: Sections[N][K] };
}

export const GateConfigSchema = z.strictObject(fromSections('schema'));
export type GateConfig = z.infer<typeof GateConfigSchema>;
export type ViabilityConfig = GateConfig['viability'];
export type EdgeConfig = GateConfig['edge'];
export type DistributionConfig = GateConfig['distribution'];
export type RobustnessConfig = GateConfig['robustness'];
export type ComplexityConfig = GateConfig['complexity'];
export type MultipleTestingConfig = GateConfig['multipleTesting'];
export type ConfirmationConfig = GateConfig['confirmation'];

/** The gates@2 defaults (docs/gates.md). */
export const DEFAULT_GATE_CONFIG: DeepReadonly<GateConfig> = deepFreeze(GateConfigSchema.parse(fromSections('defaults')));

export const TIGHTENING: Directions<GateConfig> = deepFreeze(fromSections('tightening'));

/** Validates a whole gate config; throws a UserError listing every bad field. */
export function parseGateConfig(raw: unknown, where = 'gate config'): GateConfig {
  const r = GateConfigSchema.safeParse(raw);
  if (!r.success) throw new UserError(formatZodError(r.error, where));
  return r.data;
}

const isRecord = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);

/**
 * `base` with `override` (a partial config, e.g. from a research file) merged in, refusing any field
 * that would loosen the gate, change a `fixed` field, or does not exist. The error names the field,
 * so the user knows which number needs a new config version instead.
 */
export function tightenOnly(base: GateConfig | DeepReadonly<GateConfig>, override: unknown, where = 'gate config'): GateConfig {
  const checkedBase = parseGateConfig(base, `${where} (base)`);
  const merged = merge(checkedBase, override, TIGHTENING, '', where);
  return parseGateConfig(merged, where);
}

function merge(base: Record<string, unknown>, override: unknown, dirs: unknown, path: string, where: string): Record<string, unknown> {
  if (!isRecord(override)) throw new UserError(`${where}: ${path === '' ? '(root)' : path}: must be an object`);
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const field = path === '' ? key : `${path}.${key}`;
    if (value === undefined) continue;
    if (!Object.hasOwn(base, key)) throw new UserError(`${where}: ${field}: unknown field`);
    const was = base[key];
    const dir = (dirs as Record<string, unknown>)[key];
    if (isRecord(was)) {
      out[key] = merge(was, value, dir, field, where);
      continue;
    }
    if (typeof value !== 'number' || Number.isNaN(value)) throw new UserError(`${where}: ${field}: must be a number`);
    const wasNumber = was as number;
    const looser =
      dir === 'raise' ? value < wasNumber : dir === 'lower' ? value > wasNumber : value !== wasNumber;
    if (looser) {
      const why = dir === 'fixed'
        ? `${value} differs from ${wasNumber}, and this field cannot be changed by tightening`
        : `${value} loosens ${wasNumber} (only ${dir === 'raise' ? 'a value ≥' : 'a value ≤'} ${wasNumber} tightens)`;
      throw new UserError(`${where}: ${field}: ${why}. A looser gate needs a new config version: add "version": "<a new name>" to the file, and every verdict will name it (docs/gates.md).`);
    }
    out[key] = value;
  }
  return out;
}

/** The config's identity: sha256 of its canonical JSON, so a verdict can name the exact thresholds it used. */
export function configHash(config: GateConfig | DeepReadonly<GateConfig>): string {
  return sha256(canonicalJson(config));
}

/** A gate config as a research run uses it: the thresholds and the version its verdicts name. */
export interface VersionedGateConfig {
  version: string;
  config: GateConfig;
  hash: string;
}

export const DEFAULT_VERSIONED_CONFIG: VersionedGateConfig = {
  version: GATES_VERSION,
  config: parseGateConfig(DEFAULT_GATE_CONFIG),
  hash: configHash(DEFAULT_GATE_CONFIG),
};

/**
 * A gate config file (`--gates FILE`): `{ "version": "...", <partial thresholds> }`.
 * - Without `version`, or with the default version, it may only tighten the defaults: a looser value is
 *   refused, naming the field, because verdicts under one version name must mean one thing.
 * - With another version name, any valid change is allowed, and every verdict names that version.
 */
export function versionedGateConfig(raw: unknown, where = 'gate config'): VersionedGateConfig {
  if (!isRecord(raw)) throw new UserError(`${where}: (root): must be a JSON object of gate thresholds, optionally with "version"`);
  const { version, ...overrides } = raw;
  if (version !== undefined && (typeof version !== 'string' || version.trim() === '')) throw new UserError(`${where}: version: must be a non-empty string`);
  const name = version === undefined ? GATES_VERSION : version.trim();
  if (name === GATES_VERSION) {
    const config = tightenOnly(DEFAULT_GATE_CONFIG, overrides, where);
    return { version: name, config, hash: configHash(config) };
  }
  const config = parseGateConfig(mergeAny(parseGateConfig(DEFAULT_GATE_CONFIG), overrides, '', where), where);
  return { version: name, config, hash: configHash(config) };
}

function mergeAny(base: Record<string, unknown>, override: unknown, path: string, where: string): Record<string, unknown> {
  if (!isRecord(override)) throw new UserError(`${where}: ${path === '' ? '(root)' : path}: must be an object`);
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const field = path === '' ? key : `${path}.${key}`;
    if (!Object.hasOwn(base, key)) throw new UserError(`${where}: ${field}: unknown field`);
    out[key] = isRecord(base[key]) ? mergeAny(base[key] as Record<string, unknown>, value, field, where) : value;
  }
  return out;
}

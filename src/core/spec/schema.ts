import { z } from 'zod';
import { PRICE_FIELDS } from './vocabulary.ts';
import { formatNumber } from '../format/numbers.ts';

/**
 * Strategy spec v1 (DESIGN §3). This schema is the single source of the spec's types.
 * Messages name what is allowed, because users and the LLM both read them.
 */

export { INDICATOR_OUTPUTS, PRICE_FIELDS } from './vocabulary.ts';
export const PriceFieldSchema = z.enum(PRICE_FIELDS);
export type PriceField = z.infer<typeof PriceFieldSchema>;

const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const INDICATOR_ID = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A literal number or a `$param` reference. */
export const NumOrParamSchema = z.union([
  z.number().refine(Number.isFinite, { message: 'must be a finite number' }),
  z.string().regex(/^\$[A-Za-z_][A-Za-z0-9_]*$/, { message: 'must be a number or a "$param" reference' }),
]);
export type NumOrParam = z.infer<typeof NumOrParamSchema>;

/** Grid points one param may have (docs/spec.md): (max − min) / step + 1. */
export const MAX_PARAM_POINTS = 100_000;
/** Grid points all params together may have: the product of their counts (docs/spec.md). */
export const MAX_GRID_POINTS = 1_000_000_000;

export const ParamSchema = z
  .strictObject({
    value: z.number().refine(Number.isFinite, { message: 'must be a finite number' }),
    min: z.number().refine(Number.isFinite, { message: 'must be a finite number' }),
    max: z.number().refine(Number.isFinite, { message: 'must be a finite number' }),
    step: z.number().positive({ message: 'step must be > 0' }),
  })
  .superRefine((p, ctx) => {
    if (p.min > p.max) ctx.addIssue({ code: 'custom', message: `min ${p.min} is above max ${p.max}`, path: ['min'] });
    // Bounded here, where every spec is checked, so a search never meets a grid it cannot hold.
    else if ((p.max - p.min) / p.step + 1 > MAX_PARAM_POINTS) {
      ctx.addIssue({ code: 'custom', message: `the range [${p.min}, ${p.max}] in steps of ${p.step} has more than ${MAX_PARAM_POINTS} grid points; narrow the range or coarsen the step`, path: ['step'] });
    }
    if (p.value < p.min || p.value > p.max)
      ctx.addIssue({ code: 'custom', message: `value ${p.value} lies outside [${p.min}, ${p.max}]`, path: ['value'] });
  });
export type Param = z.infer<typeof ParamSchema>;

const period = NumOrParamSchema;
const source = PriceFieldSchema.optional();

/** Indicator definitions, one per fn. `source` defaults to close (highest → high, lowest → low). */
export const IndicatorSchema = z.discriminatedUnion('fn', [
  z.strictObject({ fn: z.literal('sma'), source, period }),
  z.strictObject({ fn: z.literal('ema'), source, period }),
  z.strictObject({ fn: z.literal('wma'), source, period }),
  z.strictObject({ fn: z.literal('rsi'), source, period }),
  z.strictObject({ fn: z.literal('roc'), source, period }),
  z.strictObject({ fn: z.literal('highest'), source, period }),
  z.strictObject({ fn: z.literal('lowest'), source, period }),
  z.strictObject({ fn: z.literal('bbands'), source, period, stddev: NumOrParamSchema }),
  z.strictObject({ fn: z.literal('macd'), source, fast: NumOrParamSchema, slow: NumOrParamSchema, signal: NumOrParamSchema }),
  z.strictObject({ fn: z.literal('atr'), period }),
  z.strictObject({ fn: z.literal('stoch'), period, signal: NumOrParamSchema }),
  z.strictObject({ fn: z.literal('adx'), period }),
  z.strictObject({ fn: z.literal('cci'), period }),
  z.strictObject({ fn: z.literal('keltner'), source, period, multiplier: NumOrParamSchema }),
  z.strictObject({ fn: z.literal('obv') }),
  z.strictObject({ fn: z.literal('mfi'), period }),
  z.strictObject({ fn: z.literal('williamsr'), period }),
], { error: () => 'fn must be one of sma ema wma rsi roc highest lowest bbands macd atr stoch adx cci keltner obv mfi williamsr' });
export type Indicator = z.infer<typeof IndicatorSchema>;
export type IndicatorFn = Indicator['fn'];

/**
 * An operand: a number, "$param", a price field, an indicator id, or "id.output",
 * optionally followed by "[k]" (k ≥ 1) to read k bars back. "-$param" (a negated param) is our one
 * extension of DESIGN §3: Pine's `crossover(c, -lvl)` needs it to keep one optimisable level. Whether the name exists is
 * checked against the spec by `checkReferences`, not here.
 */
export const OPERAND_PATTERN = /^(-?\$[A-Za-z_][A-Za-z0-9_]*|[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?(\[[1-9][0-9]*\])?)$/;
export const OperandSchema = z.union([
  z.number().refine(Number.isFinite, { message: 'must be a finite number' }),
  z.string().regex(OPERAND_PATTERN, {
    message: 'must be a number, "$param", "-$param", a price field, an indicator id or "id.output", optionally with a lag "[k]" where k ≥ 1 is an integer',
  }),
]);
export type Operand = z.infer<typeof OperandSchema>;

export const OPS = ['<', '<=', '>', '>=', 'crosses_above', 'crosses_below'] as const;
export const OpSchema = z.enum(OPS, { error: () => `op must be one of ${OPS.join(' ')}` });
export type Op = z.infer<typeof OpSchema>;

export type Comparison = [Operand, Op, Operand];
export type Condition = Comparison | { all: Condition[] } | { any: Condition[] } | { not: Condition };

export const ComparisonSchema = z.tuple([OperandSchema, OpSchema, OperandSchema]);
export const ConditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    ComparisonSchema,
    z.strictObject({ all: z.array(ConditionSchema).min(1, { message: '"all" needs at least one condition' }) }),
    z.strictObject({ any: z.array(ConditionSchema).min(1, { message: '"any" needs at least one condition' }) }),
    z.strictObject({ not: ConditionSchema }),
  ], { error: () => 'a condition is [left, op, right], {"all": [...]}, {"any": [...]} or {"not": condition}' }),
);

export const RulesSchema = z.strictObject({
  long_entry: ConditionSchema.nullable(),
  long_exit: ConditionSchema.nullable(),
  short_entry: ConditionSchema.nullable(),
  short_exit: ConditionSchema.nullable(),
});
export type Rules = z.infer<typeof RulesSchema>;
export type RuleName = keyof Rules;

export const MetaSchema = z.strictObject({
  style: z.enum(['mean_reversion', 'trend_following', 'breakout', 'momentum', 'other']),
  holding_period: z.enum(['intraday', 'short', 'medium', 'long']),
  volatility_preference: z.enum(['low', 'medium', 'high', 'any']),
  market_type: z.enum(['equities', 'crypto', 'futures', 'forex']),
});
export type Meta = z.infer<typeof MetaSchema>;

const pct = z.number().positive({ message: 'must be > 0 (use null for none)' }).max(100, { message: 'must be ≤ 100' }).nullable();

/** Longest ATR a stop or target may read, in bars (as long as any lookback a spec needs). */
export const MAX_ATR_PERIOD = 1000;

/**
 * A stop or target at `mult` × ATR(`period`) from the entry fill price, ATR read at the signal bar
 * and fixed for the trade (docs/semantics.md). Literal numbers, as the percent levels are: no
 * "$param", so the optimiser never moves them. Spec v1.1 (`SPEC_SCHEMA_ID_ATR`).
 */
export const AtrLevelSchema = z.strictObject({
  mult: z.number().positive({ message: 'must be > 0' }).max(100, { message: 'must be ≤ 100' }),
  period: z.number().int({ message: 'must be an integer' }).min(1, { message: 'must be ≥ 1' }).max(MAX_ATR_PERIOD, { message: `must be ≤ ${MAX_ATR_PERIOD}` }),
});
export type AtrLevel = z.infer<typeof AtrLevelSchema>;

export const RiskSchema = z.strictObject({
  stop_loss_pct: pct, take_profit_pct: pct,
  stop_atr: AtrLevelSchema.optional(), target_atr: AtrLevelSchema.optional(),
}).superRefine((r, ctx) => {
  // One level per side: "the tighter wins" would make the stop depend on the bar's ATR in a way the spec does not show.
  if (r.stop_atr !== undefined && r.stop_loss_pct !== null) ctx.addIssue({ code: 'custom', message: 'stop_loss_pct and stop_atr are both set; a spec has one stop: keep one and set stop_loss_pct to null or remove stop_atr', path: ['stop_atr'] });
  if (r.target_atr !== undefined && r.take_profit_pct !== null) ctx.addIssue({ code: 'custom', message: 'take_profit_pct and target_atr are both set; a spec has one target: keep one and set take_profit_pct to null or remove target_atr', path: ['target_atr'] });
});
export type Risk = z.infer<typeof RiskSchema>;
export const ExecutionSchema = z.strictObject({
  fees_bps: z.number().min(0, { message: 'must be ≥ 0' }).max(1000, { message: 'must be ≤ 1000' }),
  slippage_bps: z.number().min(0, { message: 'must be ≥ 0' }).max(1000, { message: 'must be ≤ 1000' }),
});

export const SPEC_SCHEMA_ID = 'gauntlet/spec@1';
/**
 * Spec v1.1: v1 plus `risk.stop_atr` / `risk.target_atr`. A spec that uses them must say so, so a
 * reader that knows only v1 refuses it on the schema line instead of running it without its stop.
 * A spec without them stays v1, its id unchanged (docs/spec.md, "Versions").
 */
export const SPEC_SCHEMA_ID_ATR = 'gauntlet/spec@1.1';
const SCHEMA_IDS = [SPEC_SCHEMA_ID, SPEC_SCHEMA_ID_ATR] as const;

/** The schema id a spec with this risk part declares: v1.1 exactly when it has an ATR level. */
export function schemaIdFor(risk: Risk): (typeof SCHEMA_IDS)[number] {
  return risk.stop_atr !== undefined || risk.target_atr !== undefined ? SPEC_SCHEMA_ID_ATR : SPEC_SCHEMA_ID;
}

export const SpecSchema = z.strictObject({
  schema: z.enum(SCHEMA_IDS, { error: () => `schema must be "${SPEC_SCHEMA_ID}" (or "${SPEC_SCHEMA_ID_ATR}" for a spec with risk.stop_atr or risk.target_atr)` }),
  name: z.string().min(1, { message: 'name must not be empty' }),
  idea: z.string(),
  parent: z.string().regex(/^[0-9a-f]{64}$/, { message: 'parent must be a 64-hex spec hash' }).optional(),
  meta: MetaSchema,
  params: z.record(z.string().regex(PARAM_NAME, { message: 'param names are identifiers' }), ParamSchema).superRefine((ps, ctx) => {
    const points = Object.values(ps).reduce((n, p) => n * (Math.floor((p.max - p.min) / p.step + 1e-9) + 1), 1);
    if (points > MAX_GRID_POINTS) ctx.addIssue({ code: 'custom', message: `the params' grid has ${formatNumber(points, 'count')} points together, more than ${formatNumber(MAX_GRID_POINTS, 'count')}; narrow some ranges or coarsen their steps` });
  }),
  indicators: z.record(z.string().regex(INDICATOR_ID, { message: 'indicator ids are identifiers' }), IndicatorSchema),
  rules: RulesSchema,
  risk: RiskSchema,
  execution: ExecutionSchema,
}).superRefine((s, ctx) => {
  if (s.schema === SPEC_SCHEMA_ID && schemaIdFor(s.risk) === SPEC_SCHEMA_ID_ATR) {
    const field = s.risk.stop_atr !== undefined ? 'stop_atr' : 'target_atr';
    ctx.addIssue({ code: 'custom', message: `risk.${field} is spec v1.1: set "schema": "${SPEC_SCHEMA_ID_ATR}" (docs/spec.md)`, path: ['schema'] });
  }
});
export type Spec = z.infer<typeof SpecSchema>;

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
export const RiskSchema = z.strictObject({ stop_loss_pct: pct, take_profit_pct: pct });
export const ExecutionSchema = z.strictObject({
  fees_bps: z.number().min(0, { message: 'must be ≥ 0' }).max(1000, { message: 'must be ≤ 1000' }),
  slippage_bps: z.number().min(0, { message: 'must be ≥ 0' }).max(1000, { message: 'must be ≤ 1000' }),
});

export const SPEC_SCHEMA_ID = 'gauntlet/spec@1';

export const SpecSchema = z.strictObject({
  schema: z.literal(SPEC_SCHEMA_ID, { error: () => `schema must be "${SPEC_SCHEMA_ID}"` }),
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
});
export type Spec = z.infer<typeof SpecSchema>;

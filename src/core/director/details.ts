import { z } from 'zod';
import { IntervalSchema } from '../intervals.ts';

/**
 * What each candidate's `detail` holds, per action. The rules write it; the Director prose, the UI
 * and the loop read it back through this schema, so a detail can never drift from its readers.
 */

const Symbols = z.array(z.string().min(1));

export const AddSymbolDetailSchema = z.strictObject({
  symbols: Symbols.min(1),
  interval: IntervalSchema,
  /** The sector the symbols come from; null when they were picked across sectors. */
  sector: z.string().nullable(),
  /**
   * starter: the rest of the stratified starter screen; breadth: segments of the scope with the fewest
   * tested symbols first (some segment untested or thinner than the rest); deepen: every segment of the
   * scope has been screened, more of each; evidence: a gate is INSUFFICIENT and this adds the missing sample.
   */
  purpose: z.enum(['starter', 'breadth', 'deepen', 'evidence']),
  /** Symbols already tested (in `sector`, or overall when it is null) and how many had a positive average trade. */
  tested: z.number().int().nonnegative(),
  positive: z.number().int().nonnegative(),
});

export const DetailSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('initial_backtest'), detail: z.strictObject({ symbols: Symbols.length(1), interval: IntervalSchema }) }),
  z.strictObject({ action: z.literal('add_symbol'), detail: AddSymbolDetailSchema }),
  /** `segments` held Holm's test among the `k` screened; `tests` is the whole segment table's verdicts (logged with the selection). */
  z.strictObject({
    action: z.literal('constrain_universe'),
    detail: z.strictObject({
      segments: z.array(z.string()).min(1), keep: Symbols, drop: Symbols.min(1), k: z.number().int().positive(),
      tests: z.array(z.strictObject({ segment: z.string(), t: z.number().nullable(), p_holm: z.number(), holds: z.boolean() })),
    }),
  }),
  /** `interval` is the target (the loop moves the tested set there); `from` is where it runs now. */
  z.strictObject({ action: z.literal('add_interval'), detail: z.strictObject({ from: IntervalSchema, interval: IntervalSchema, direction: z.enum(['up', 'down']), symbols: Symbols }) }),
  z.strictObject({ action: z.literal('optimize'), detail: z.strictObject({ interval: IntervalSchema, symbols: Symbols, params: z.array(z.string()) }) }),
  z.strictObject({ action: z.literal('walk_forward'), detail: z.strictObject({ interval: IntervalSchema, symbols: Symbols, params: z.array(z.string()), mode: z.enum(['rolling', 'anchored']) }) }),
  z.strictObject({ action: z.literal('reoptimize'), detail: z.strictObject({ interval: IntervalSchema, symbols: Symbols, params: z.array(z.string()) }) }),
  z.strictObject({ action: z.literal('regime_expansion'), detail: z.strictObject({ interval: IntervalSchema, symbols: Symbols, dimensions: z.array(z.enum(['volatility', 'trend'])) }) }),
  /**
   * `symbols`: the screened set; `fresh`: the confirmation's fresh-symbol leg, drawn now (empty when the
   * scope has too few untested symbols: the holdout leg alone decides); `segments`: the scope's segments.
   */
  z.strictObject({ action: z.literal('promote'), detail: z.strictObject({ interval: IntervalSchema, symbols: Symbols, fresh: z.array(z.string()), segments: z.array(z.string()), stable_across: z.string() }) }),
  z.strictObject({ action: z.literal('kill'), detail: z.strictObject({}) }),
  /**
   * Bars the universe lacks: `interval` is the rung the Director wants next from `from`, which `symbols` (the
   * tested set) cannot be loaded at; `fetch` is what `source` (yahoo, ccxt:EXCHANGE) downloads for it (Yahoo
   * has no 4h: it fetches 1h, which resamples to 4h).
   */
  z.strictObject({
    action: z.literal('download'),
    detail: z.strictObject({ from: IntervalSchema, interval: IntervalSchema, fetch: IntervalSchema, symbols: Symbols.min(1), source: z.string().min(1) }),
  }),
]);
export type ActionDetail = z.infer<typeof DetailSchema>;
export type AddSymbolDetail = z.infer<typeof AddSymbolDetailSchema>;

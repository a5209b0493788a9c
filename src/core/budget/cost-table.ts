import { z } from 'zod';
import { UserError, formatZodError } from '../errors.ts';

/**
 * The price list of DESIGN §6. Prices come from this table only — never from an LLM — so the
 * table is validated strictly: every action priced, each a non-negative whole number of credits.
 */

export const ACTIONS = [
  'initial_backtest', 'add_symbol', 'add_interval', 'optimize', 'walk_forward',
  'regime_expansion', 'reoptimize', 'constrain_universe', 'kill', 'promote', 'download',
] as const;
export const ActionSchema = z.enum(ACTIONS);
export type Action = z.infer<typeof ActionSchema>;

const Credits = z.number().int({ message: 'must be a whole number of credits' }).nonnegative({ message: 'must be ≥ 0 credits' });

export const CostTableSchema = z.strictObject(
  Object.fromEntries(ACTIONS.map((a) => [a, Credits])) as Record<Action, typeof Credits>,
);
export type CostTable = z.infer<typeof CostTableSchema>;

export const DEFAULT_COST_TABLE: CostTable = Object.freeze({
  initial_backtest: 10, add_symbol: 5, add_interval: 8, optimize: 20, walk_forward: 25,
  regime_expansion: 15, reoptimize: 30, constrain_universe: 0, kill: 0, promote: 0,
  // Downloading bars a wanted interval lacks costs nothing (it needs network, and the user's approval).
  download: 0,
});

export const DEFAULT_BUDGET_CREDITS = 1000;

export const BudgetConfigSchema = z.strictObject({
  /** Credits granted when a research session starts. */
  credits: Credits.positive({ message: 'a session needs a budget > 0 credits' }),
  prices: CostTableSchema,
});
export type BudgetConfig = z.infer<typeof BudgetConfigSchema>;

/**
 * Validates a budget config; omitted parts take the defaults. A partial `prices` object is an
 * error rather than a merge, because a half-written table silently inheriting defaults is how a
 * price gets lost — spell every action or none.
 */
export function budgetConfig(input: { credits?: unknown; prices?: unknown } = {}, where = 'budget config'): BudgetConfig {
  const r = BudgetConfigSchema.safeParse({
    credits: input.credits ?? DEFAULT_BUDGET_CREDITS,
    prices: input.prices ?? DEFAULT_COST_TABLE,
  });
  if (!r.success) throw new UserError(`${formatZodError(r.error, where)}\nEvery action needs a price: ${ACTIONS.join(', ')}.`);
  return Object.freeze({ credits: r.data.credits, prices: Object.freeze(r.data.prices) });
}

import type { MarketType } from '../universe.ts';
import type { Spec } from './schema.ts';

/**
 * Costs a spec gets when its idea states none (docs/costs.md): per fill, in basis points of the
 * notional. Zero costs flatter every strategy that trades often; these are typical of a retail broker
 * and a liquid instrument of each market, so an edge must beat them before anyone trades it.
 */
export const MARKET_DEFAULT_COSTS: Readonly<Record<MarketType, Spec['execution']>> = Object.freeze({
  equities: Object.freeze({ fees_bps: 5, slippage_bps: 5 }),
  crypto: Object.freeze({ fees_bps: 10, slippage_bps: 5 }),
  futures: Object.freeze({ fees_bps: 2, slippage_bps: 5 }),
  forex: Object.freeze({ fees_bps: 1, slippage_bps: 3 }),
});

/** Costs as a translator read them from the idea: null where the idea says nothing. */
export interface StatedCosts {
  fees_bps: number | null;
  slippage_bps: number | null;
}

/**
 * The spec's costs: what the idea stated, and the market default for anything it left out, with the
 * warning that says which defaults were used (null when the idea stated both). A stated cost is never
 * replaced, not even a stated 0.
 */
export function resolveCosts(stated: StatedCosts, market: MarketType): { execution: Spec['execution']; warning: string | null } {
  const d = MARKET_DEFAULT_COSTS[market];
  const execution = { fees_bps: stated.fees_bps ?? d.fees_bps, slippage_bps: stated.slippage_bps ?? d.slippage_bps };
  const missing = [stated.fees_bps === null ? `${d.fees_bps} bps fees` : null, stated.slippage_bps === null ? `${d.slippage_bps} bps slippage` : null].filter((x) => x !== null);
  if (missing.length === 0) return { execution, warning: null };
  const what = stated.fees_bps === null && stated.slippage_bps === null ? 'no costs' : stated.fees_bps === null ? 'no fees' : 'no slippage';
  return {
    execution,
    warning: `costs: the idea states ${what}; using the ${market} default${missing.length > 1 ? 's' : ''} of ${missing.join(' + ')} per fill (docs/costs.md)`,
  };
}

/** A cost override from the command line (`--fees`, `--slippage`) applied to a spec: a new spec, the rest kept. */
export function withCosts(spec: Spec, override: Partial<Spec['execution']>): Spec {
  if (override.fees_bps === undefined && override.slippage_bps === undefined) return spec;
  return { ...spec, execution: { ...spec.execution, ...override } };
}

import { intentBands } from '../../core/anonymise/intent.ts';
import { MARKET_DEFAULT_COSTS } from '../../core/spec/costs.ts';
import type { Meta } from '../../core/spec/schema.ts';
import { HOLDING_INTERVALS } from '../../core/director/intervals.ts';
import { lookback, type SpecLogic } from './meta.ts';

/** Meta fields the idea stated (`holding …`, `market …`, `style …`, or the Pine `// @gauntlet` line). */
export type StatedMeta = Partial<Pick<Meta, 'style' | 'holding_period' | 'market_type'>>;

const days = (r: { min: number | null; max: number | null }): string =>
  r.max === null ? `${r.min ?? 0}+ days` : `${r.min ?? 0}–${r.max} days`;

/**
 * The one line that says which meta fields were inferred rather than stated, from what, and what
 * follows from them (the intervals the Director tries, the holding band the Reviewer compares, the
 * symbols and default costs), so a choice the idea never made is never silent. Null when the idea
 * stated every field that matters.
 */
export function inferredMetaNote(meta: Meta, logic: SpecLogic, stated: StatedMeta, kind: 'rules' | 'pine', marketReason = 'by default (nothing in the idea names a market)'): string | null {
  const parts: string[] = [];
  const how: string[] = [];
  if (stated.holding_period === undefined) {
    const L = lookback(logic);
    const h = HOLDING_INTERVALS[meta.holding_period];
    parts.push(`holding period ${meta.holding_period}, inferred from the longest lookback of ${L} bar${L === 1 ? '' : 's'} (≤ 20 short, ≤ 60 medium, else long): the Director tries ${h.home} first among ${h.allowed.join(' ')} and the Reviewer expects holds of ${days(intentBands(meta).holding_days)}`);
    how.push(kind === 'rules' ? '"holding short|medium|long|intraday"' : 'holding=short|medium|long|intraday');
  }
  if (stated.market_type === undefined) {
    const c = MARKET_DEFAULT_COSTS[meta.market_type];
    parts.push(`market ${meta.market_type}, ${marketReason}: symbols come from the universe's ${meta.market_type} and unstated costs default to ${c.fees_bps} + ${c.slippage_bps} bps`);
    how.push(kind === 'rules' ? '"market equities|crypto|futures|forex"' : 'market=equities|crypto|futures|forex');
  }
  if (parts.length === 0) return null;
  const fix = kind === 'rules' ? `add ${how.join(' and ')} to the idea` : `add the line "// @gauntlet ${how.join(' ')}" to the script`;
  return `meta: ${parts.join('; ')}. To choose instead, ${fix}.`;
}

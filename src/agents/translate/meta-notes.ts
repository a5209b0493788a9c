import { intentBands } from '../../core/anonymise/intent.ts';
import { MARKET_DEFAULT_COSTS } from '../../core/spec/costs.ts';
import type { Meta } from '../../core/spec/schema.ts';
import { HOLDING_INTERVALS } from '../../core/director/intervals.ts';
import { holdingPeriod, lookback, type SpecLogic } from './meta.ts';

/** Meta fields the idea stated (`holding …`, `market …`, `style …`, or the Pine `// @gauntlet` line). */
export type StatedMeta = Partial<Pick<Meta, 'style' | 'holding_period' | 'market_type'>>;

const days = (r: { min: number | null; max: number | null }): string =>
  r.max === null ? `${r.min ?? 0}+ days` : `${r.min ?? 0}–${r.max} days`;

const bars = (n: number): string => `${n} bar${n === 1 ? '' : 's'}`;

/** Why a field was set as it was, when the idea did not state it; the defaults are the deterministic translators'. */
export interface MetaReasons {
  /** After "holding period X, ". */
  readonly holding?: string;
  /** After "market X, ". */
  readonly market?: string;
}

/** The reasons for a model-drafted spec: the model chose both fields, and the note says what the code would have inferred. */
export function modelMetaReasons(logic: SpecLogic): Required<MetaReasons> {
  const L = lookback(logic);
  return {
    holding: `chosen by the model from the idea's text (the idea states none; its longest lookback, ${bars(L)}, would give ${holdingPeriod(L)}: ≤ 20 short, ≤ 60 medium, else long)`,
    market: 'chosen by the model from the idea\'s text (the idea states none)',
  };
}

/**
 * The one line that says which meta fields were inferred rather than stated, from what, and what
 * follows from them (the intervals the Director tries, the holding band the Reviewer compares, the
 * symbols and default costs), so a choice the idea never made is never silent. Null when the idea
 * stated every field that matters. The rule and Pine translators infer; a model-drafted spec passes
 * `modelMetaReasons`, so its note says the same things in the same words.
 */
export function inferredMetaNote(meta: Meta, logic: SpecLogic, stated: StatedMeta, kind: 'rules' | 'pine', reasons: MetaReasons = {}): string | null {
  const parts: string[] = [];
  const how: string[] = [];
  if (stated.holding_period === undefined) {
    const L = lookback(logic);
    const h = HOLDING_INTERVALS[meta.holding_period];
    const why = reasons.holding ?? `inferred from the longest lookback of ${bars(L)} (≤ 20 short, ≤ 60 medium, else long)`;
    parts.push(`holding period ${meta.holding_period}, ${why}: the Director tries ${h.home} first among ${h.allowed.join(' ')} and the Reviewer expects holds of ${days(intentBands(meta).holding_days)}`);
    how.push(kind === 'rules' ? '"holding short|medium|long|intraday"' : 'holding=short|medium|long|intraday');
  }
  if (stated.market_type === undefined) {
    const c = MARKET_DEFAULT_COSTS[meta.market_type];
    parts.push(`market ${meta.market_type}, ${reasons.market ?? 'by default (nothing in the idea names a market)'}: symbols come from the universe's ${meta.market_type} and unstated costs default to ${c.fees_bps} + ${c.slippage_bps} bps`);
    how.push(kind === 'rules' ? '"market equities|crypto|futures|forex"' : 'market=equities|crypto|futures|forex');
  }
  if (parts.length === 0) return null;
  const fix = kind === 'rules' ? `add ${how.join(' and ')} to the idea` : `add the line "// @gauntlet ${how.join(' ')}" to the script`;
  return `meta: ${parts.join('; ')}. To choose instead, ${fix}.`;
}

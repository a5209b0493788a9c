/**
 * A series loaded from a file without a volume column has NaN volume (columns.ts). A strategy that
 * reads volume would silently never trade on it (every comparison with NaN is false), so it is refused.
 */
import { UserError } from '../../core/errors.ts';
import type { Bars } from '../data/bars.ts';
import type { ConditionPlan, IndicatorPlan } from './plan.ts';

const VOLUME_FNS = new Set(['obv', 'mfi']);

/** What in the plan reads volume, as the user wrote it (empty when nothing does). */
export function volumeReaders(indicators: readonly IndicatorPlan[], rules: readonly (ConditionPlan | undefined)[]): string[] {
  const out = indicators.filter((i) => VOLUME_FNS.has(i.fn) || i.args.source === 'volume').map((i) => `${i.id} (${i.fn})`);
  const walk = (c: ConditionPlan | undefined): boolean => {
    if (c === undefined) return false;
    switch (c.kind) {
      case 'cmp': return [c.left, c.right].some((o) => o.kind === 'series' && o.key === 'volume');
      case 'all': case 'any': return c.parts.some(walk);
      case 'not': return walk(c.part);
    }
  };
  if (rules.some(walk)) out.push('the volume field');
  return out;
}

/** Throws when the plan reads volume and the series has none. */
export function refuseMissingVolume(bars: Bars, indicators: readonly IndicatorPlan[], rules: readonly (ConditionPlan | undefined)[]): void {
  const readers = volumeReaders(indicators, rules);
  if (readers.length === 0) return;
  const v = bars.volume;
  for (let i = 0; i < v.length; i++) if (v[i] === v[i]) return; // some volume is there
  throw new UserError(`${bars.symbol} ${bars.interval}: its data has no volume column, so ${readers.join(', ')} cannot run on it; use data with volume, or a rule without it`);
}

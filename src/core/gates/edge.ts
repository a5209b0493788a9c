import { ABOVE_ZERO, check } from '../research/gate.ts';
import type { Check } from '../research/gate.ts';
import { formatNumber } from '../format/numbers.ts';

// The holdout gate's checks: an edge that must stay above 0, and keep a share of its visible value.

/**
 * value_on_part ÷ value_on_reference, defined only when the reference is > 0: a reference without an
 * edge has nothing to keep, so the ratio is null (unmeasured → the check fails) with the reason.
 */
export function retention(part: number | null, ref: number | null): { ratio: number | null; why: string } {
  if (ref === null) return { ratio: null, why: 'unmeasured on the reference' };
  if (!(ref > 0)) return { ratio: null, why: `no edge on the reference (${formatNumber(ref, 'value')} ≤ 0)` };
  if (part === null) return { ratio: null, why: 'unmeasured on the part' };
  return { ratio: part / ref, why: `${formatNumber(part, 'value')} vs ${formatNumber(ref, 'value')}` };
}

/** "keeps ≥ minRetention of its value": part/ref ≥ minRetention, i.e. part ≥ minRetention × ref with ref > 0. */
export function retentionCheck(name: string, part: number | null, ref: number | null, minRetention: number, what: string): Check {
  const r = retention(part, ref);
  return check(name, r.ratio, '>=', minRetention, `${what}: ${r.why}`);
}

/** A check that passes iff value > 0 (see ABOVE_ZERO). */
export function positiveCheck(name: string, value: number | null, note: string): Check {
  return check(name, value, '>=', ABOVE_ZERO, `must be > 0; ${note}`);
}

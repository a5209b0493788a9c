import { LADDER, type Interval } from '../intervals.ts';
import { InvariantError } from '../invariants.ts';
import type { Meta } from '../spec/schema.ts';

/**
 * Which intervals a strategy's meta lets the Director try, in the order it tries them (DESIGN §6
 * Director rules). Three layers, applied in this order:
 *
 * 1. Holding period → the intervals allowed at all, and a "home" interval:
 *
 *    | holding  | allowed                 | home | extra rule                |
 *    |----------|-------------------------|------|---------------------------|
 *    | intraday | 1m 5m 15m 1h            | 5m   | never 4h or 1d            |
 *    | short    | 5m 15m 1h 4h 1d         | 1h   | 1d is avoided: always last |
 *    | medium   | 1h 4h 1d                | 4h   |                           |
 *    | long     | 4h 1d                   | 1d   | 1d always first           |
 *
 *    Intraday drops 4h too: an equity session has one or two 4h bars, so a position could not
 *    open and close inside a day. Short keeps 1d as a last resort rather than excluding it: the
 *    bundled universe is daily, and "avoid" must not mean "cannot run".
 *
 * 2. Style → the order inside the allowed set:
 *
 *    | style                      | order                                            |
 *    |----------------------------|--------------------------------------------------|
 *    | mean_reversion             | lowest interval first (DESIGN: lower first)      |
 *    | trend_following, momentum  | highest first (trends survive the noise there)   |
 *    | breakout, other            | nearest to home first; a tie goes to the lower   |
 *
 * 3. The holding period's extra rule (short: 1d last; long: 1d first) overrides the style.
 *
 * Only ladder intervals count (10m and 30m exist for resampling checks only), and only those in
 * `available`.
 */

type Ladder = (typeof LADDER)[number];
type Holding = Meta['holding_period'];

export const HOLDING_INTERVALS: Readonly<Record<Holding, { allowed: readonly Ladder[]; home: Ladder }>> = {
  intraday: { allowed: ['1m', '5m', '15m', '1h'], home: '5m' },
  short: { allowed: ['5m', '15m', '1h', '4h', '1d'], home: '1h' },
  medium: { allowed: ['1h', '4h', '1d'], home: '4h' },
  long: { allowed: ['4h', '1d'], home: '1d' },
};

/** Position on the ladder, −1 off it (10m, 30m). */
export const ladderRung = (i: Interval): number => (LADDER as readonly Interval[]).indexOf(i);
const rung = ladderRung;

export function candidateIntervals(meta: Meta, available: readonly Interval[]): Interval[] {
  const { allowed, home } = HOLDING_INTERVALS[meta.holding_period];
  const offered = allowed.filter((i) => available.includes(i));
  const byStyle = [...offered].sort((a, b) => styleKey(meta.style, a, home) - styleKey(meta.style, b, home) || rung(a) - rung(b));
  const rest = byStyle.filter((i) => i !== '1d');
  if (!byStyle.includes('1d')) return byStyle;
  if (meta.holding_period === 'short') return [...rest, '1d'];
  if (meta.holding_period === 'long') return ['1d', ...rest];
  return byStyle;
}

function styleKey(style: Meta['style'], i: Interval, home: Interval): number {
  switch (style) {
    case 'mean_reversion': return rung(i);
    case 'trend_following':
    case 'momentum': return -rung(i);
    case 'breakout':
    case 'other': return Math.abs(rung(i) - rung(home));
  }
}

/**
 * I3 "one step at a time", read as one rung up OR down. Down is allowed because the start is
 * chosen partly by data (a universe exists at 1d, not at 5m): a mean-reversion idea that starts
 * higher than it would like must be able to walk down its "lower first" preference, one rung at
 * a time. A step down needs native data there (resampling only goes up), which the symbol
 * filter checks; this function only guards the ladder.
 */
export function ladderCheck(from: Interval, to: Interval): void {
  const a = rung(from);
  const b = rung(to);
  if (a < 0) throw new InvariantError('I3', `${from} is not on the ladder ${LADDER.join(' → ')}`);
  if (b < 0) throw new InvariantError('I3', `${to} is not on the ladder ${LADDER.join(' → ')}`);
  if (Math.abs(a - b) !== 1) {
    throw new InvariantError('I3', `${from} → ${to} is ${a === b ? 'no step' : `${Math.abs(a - b)} steps`}; the next rungs from ${from} are ${ladderNeighbours(from).join(' or ')}`);
  }
}

/** One rung up, or null at the top (or off the ladder: nothing is a legal step from there). */
export function ladderNext(i: Interval): Interval | null {
  const r = rung(i);
  return r < 0 ? null : (LADDER[r + 1] ?? null);
}

/** One rung down, or null at the bottom (or off the ladder). */
export function ladderPrev(i: Interval): Interval | null {
  const r = rung(i);
  return r <= 0 ? null : (LADDER[r - 1] ?? null);
}

/** The legal next intervals from `i`, lower first. */
export function ladderNeighbours(i: Interval): Interval[] {
  return [ladderPrev(i), ladderNext(i)].filter((x): x is Interval => x !== null);
}

import { UserError } from '../../core/errors.ts';
import type { Segment } from '../../core/research/run.ts';

/** DESIGN §6 sealed holdout: the last 20 % of every series is never shown to an optimiser or an LLM. */
export const VISIBLE_FRACTION = 0.8;

/** Bars in the visible part of an N-bar series: ⌊0.8·N⌋ (the holdout gets the rounding). */
export function visibleLength(n: number): number {
  return Math.floor(VISIBLE_FRACTION * n);
}

/**
 * The bar range [from, to) a segment executes on. Signals are always computed on bars [0, to): for
 * `visible` that never touches a holdout bar; for `holdout` the visible bars are indicator warm-up
 * only, and because signals are causal they equal what a live run would have computed.
 */
export function segmentRange(n: number, segment: Segment, what: string): { from: number; to: number } {
  const v = visibleLength(n);
  if (v < 2) throw new UserError(`${what}: ${n} bars are too few to split into a visible part and a sealed holdout`);
  switch (segment) {
    case 'visible': return { from: 0, to: v };
    case 'holdout': return { from: v, to: n };
    case 'full': return { from: 0, to: n };
  }
}

import type { Bars } from '../data/bars.ts';

/**
 * The strategy contract, after backtesting.py: `init()` precomputes whole-series indicators once,
 * `next(i)` returns the signal bits for the close of bar i and may read only bars ≤ i.
 * Compiled specs subclass it; `signals()` may be overridden by a vectorised equivalent as long as
 * each bit at i still depends only on bars ≤ i (the causality probe checks exactly that).
 */
export abstract class Base {
  constructor(protected readonly bars: Bars) {}

  /** Precompute indicators. Called once before any `next`. */
  protected abstract init(): void;

  /** Signal bits (LONG_ENTRY | LONG_EXIT | SHORT_ENTRY | SHORT_EXIT) for the close of bar i. */
  abstract next(i: number): number;

  private initialised = false;

  protected ensureInit(): void {
    if (!this.initialised) {
      this.init();
      this.initialised = true;
    }
  }

  /** Signal bits for every bar. */
  signals(): Uint8Array {
    this.ensureInit();
    const n = this.bars.time.length;
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.next(i);
    return out;
  }
}

import type { ExitReason } from './types.ts';
import type { TradeLog } from './trade-log.ts';

/**
 * The one position and its accounting (docs/semantics.md). A class rather than closures over
 * `let`s: V8 keeps closure-captured variables in a heap context, and the per-bar loop would pay
 * for that on every read.
 */
export class Book {
  pos = 0; // 1 long, −1 short, 0 flat
  // Float fields start as NaN, never as an integer literal: V8 picks a field's representation from
  // its first value, and an integer start would box every later float store in a fresh heap number.
  flatEquity = NaN;
  units = NaN;
  entryPrice = NaN;
  entryEquity = NaN; // equity right after the entry fee
  equityBefore = NaN; // equity before the entry, the base of the trade return
  entryIndex = 0;
  stopPx = NaN;
  targetPx = NaN;

  /**
   * `stopAtr` / `targetAtr`: ATR columns for ATR-multiple levels (null for none), read at the signal
   * bar t − 1 of a fill at t; they replace the percent level of their side (the spec never has both).
   */
  constructor(
    private readonly log: TradeLog,
    private readonly fee: number,
    private readonly slip: number,
    private readonly stopFrac: number,
    private readonly targetFrac: number,
    private readonly stopAtr: Float64Array | null = null,
    private readonly stopMult = NaN,
    private readonly targetAtr: Float64Array | null = null,
    private readonly targetMult = NaN,
  ) {
    this.flatEquity = 1;
  }

  /**
   * Whether an entry filled at bar t can set its levels: an ATR level needs ATR defined at the signal
   * bar t − 1. During ATR's warm-up the entry does not happen, as a condition reading an undefined
   * value does not fire (docs/semantics.md).
   */
  canEnter(t: number): boolean {
    if (this.stopAtr === null && this.targetAtr === null) return true;
    return !(this.stopAtr !== null && Number.isNaN(this.stopAtr[t - 1]!)) && !(this.targetAtr !== null && Number.isNaN(this.targetAtr[t - 1]!));
  }

  enter(side: number, rawPrice: number, t: number): void {
    const px = side > 0 ? rawPrice * (1 + this.slip) : rawPrice * (1 - this.slip);
    const e = this.flatEquity;
    this.equityBefore = e;
    this.units = e / px;
    this.entryEquity = e - this.fee * this.units * px;
    this.entryPrice = px;
    this.entryIndex = t;
    this.pos = side;
    // The level is fixed here for the trade's life; the guard below is the one stop path for both kinds.
    const sa = this.stopAtr;
    const ta = this.targetAtr;
    this.stopPx = sa !== null ? px - side * this.stopMult * sa[t - 1]! : this.stopFrac > 0 ? px * (1 - side * this.stopFrac) : NaN;
    this.targetPx = ta !== null ? px + side * this.targetMult * ta[t - 1]! : this.targetFrac > 0 ? px * (1 + side * this.targetFrac) : NaN;
  }

  exit(rawPrice: number, t: number, reason: ExitReason): void {
    const pos = this.pos;
    const px = pos > 0 ? rawPrice * (1 - this.slip) : rawPrice * (1 + this.slip);
    const after = this.entryEquity + pos * this.units * (px - this.entryPrice) - this.fee * this.units * px;
    this.log.push(pos, this.entryIndex, t, this.entryPrice, px, after / this.equityBefore - 1, reason);
    this.flatEquity = after;
    this.pos = 0;
  }

  /** Checks the stop and target against one bar; the stop wins when both are touched. */
  guard(o: number, h: number, l: number, t: number): void {
    const stop = this.stopPx;
    const target = this.targetPx;
    if (this.pos > 0) {
      if (l <= stop) this.exit(o <= stop ? o : stop, t, 'stop');
      else if (h >= target) this.exit(o >= target ? o : target, t, 'target');
    } else {
      if (h >= stop) this.exit(o >= stop ? o : stop, t, 'stop');
      else if (l <= target) this.exit(o <= target ? o : target, t, 'target');
    }
  }

  markToMarket(price: number): number {
    return this.pos === 0 ? this.flatEquity : this.entryEquity + this.pos * this.units * (price - this.entryPrice);
  }
}

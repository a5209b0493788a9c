import type { ExitReason, Trade } from './types.ts';

const REASONS: readonly ExitReason[] = ['signal', 'stop', 'target', 'end'];
const REASON_CODE: Record<ExitReason, number> = { signal: 0, stop: 1, target: 2, end: 3 };

/**
 * Closed trades as columns. A backtest with tens of thousands of trades would otherwise allocate an
 * object per trade that outlives young-generation GC; metrics read only the return column, and
 * `Trade` objects are built when someone asks for them.
 */
export class TradeLog {
  count = 0;
  side = new Int8Array(64);
  entryIndex = new Int32Array(64);
  exitIndex = new Int32Array(64);
  entryPrice = new Float64Array(64);
  exitPrice = new Float64Array(64);
  ret = new Float64Array(64);
  reason = new Uint8Array(64);

  /** Forgets every trade but keeps the columns, for reuse by the next run. */
  clear(): void {
    this.count = 0;
  }

  push(side: number, entryIndex: number, exitIndex: number, entryPrice: number, exitPrice: number, ret: number, reason: ExitReason): void {
    if (this.count === this.ret.length) this.grow();
    const k = this.count++;
    this.side[k] = side;
    this.entryIndex[k] = entryIndex;
    this.exitIndex[k] = exitIndex;
    this.entryPrice[k] = entryPrice;
    this.exitPrice[k] = exitPrice;
    this.ret[k] = ret;
    this.reason[k] = REASON_CODE[reason];
  }

  private grow(): void {
    const m = this.ret.length * 2;
    const widen = <T extends Int8Array | Int32Array | Float64Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(m);
      b.set(a);
      return b;
    };
    this.side = widen(this.side, (n) => new Int8Array(n));
    this.entryIndex = widen(this.entryIndex, (n) => new Int32Array(n));
    this.exitIndex = widen(this.exitIndex, (n) => new Int32Array(n));
    this.entryPrice = widen(this.entryPrice, (n) => new Float64Array(n));
    this.exitPrice = widen(this.exitPrice, (n) => new Float64Array(n));
    this.ret = widen(this.ret, (n) => new Float64Array(n));
    this.reason = widen(this.reason, (n) => new Uint8Array(n));
  }

  /** The trades as objects, with bar times from `time`. */
  toTrades(time: Float64Array): Trade[] {
    const out: Trade[] = [];
    for (let k = 0; k < this.count; k++) {
      const e = this.entryIndex[k]!;
      const x = this.exitIndex[k]!;
      out.push({
        side: this.side[k]! > 0 ? 'long' : 'short',
        entryIndex: e, exitIndex: x, entryTime: time[e]!, exitTime: time[x]!,
        entryPrice: this.entryPrice[k]!, exitPrice: this.exitPrice[k]!,
        return: this.ret[k]!, exitReason: REASONS[this.reason[k]!]!,
      });
    }
    return out;
  }
}

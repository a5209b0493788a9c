/**
 * A second implementation of ATR stops and targets (spec v1.1), written from docs/semantics.md alone:
 * one bar at a time, its own Wilder ATR, no shared code with the engine. Fill prices and exit reasons only.
 */
import { LONG_ENTRY, LONG_EXIT, SHORT_ENTRY, SHORT_EXIT } from '../../src/engine/backtest/types.ts';
import type { Bars } from '../../src/engine/data/bars.ts';

export interface RefTrade { side: 'long' | 'short'; entryIndex: number; exitIndex: number; entryPrice: number; exitPrice: number; reason: string }

/** Wilder's ATR the long way: the first value at bar n is the mean of TR_1..TR_n. */
export function refAtr(b: Bars, n: number): number[] {
  const out: number[] = new Array<number>(b.close.length).fill(NaN);
  let sum = 0;
  for (let i = 1; i < b.close.length; i++) {
    const tr = Math.max(b.high[i]! - b.low[i]!, Math.abs(b.high[i]! - b.close[i - 1]!), Math.abs(b.low[i]! - b.close[i - 1]!));
    if (i < n) sum += tr;
    else if (i === n) out[i] = (sum + tr) / n;
    else out[i] = (out[i - 1]! * (n - 1) + tr) / n;
  }
  return out;
}

export function refAtrRun(b: Bars, bits: Uint8Array, slip: number, stop: { mult: number; period: number }, target: { mult: number; period: number }): RefTrade[] {
  const sAtr = refAtr(b, stop.period);
  const tAtr = refAtr(b, target.period);
  const trades: RefTrade[] = [];
  let pos: { side: 'long' | 'short'; entryIndex: number; entryPrice: number; stop: number; target: number } | null = null;
  let pending: 'none' | 'long' | 'short' | 'close' | 'reverse' = 'none';
  const close = (t: number, raw: number, reason: string): void => {
    const px = pos!.side === 'long' ? raw * (1 - slip) : raw * (1 + slip);
    trades.push({ side: pos!.side, entryIndex: pos!.entryIndex, exitIndex: t, entryPrice: pos!.entryPrice, exitPrice: px, reason });
    pos = null;
  };
  const open = (t: number, side: 'long' | 'short'): void => {
    const a = sAtr[t - 1]!;
    const c = tAtr[t - 1]!;
    if (Number.isNaN(a) || Number.isNaN(c)) return; // no entry before ATR exists
    const px = side === 'long' ? b.open[t]! * (1 + slip) : b.open[t]! * (1 - slip);
    const sign = side === 'long' ? 1 : -1;
    pos = { side, entryIndex: t, entryPrice: px, stop: px - sign * stop.mult * a, target: px + sign * target.mult * c };
  };
  const n = b.close.length;
  for (let t = 0; t < n; t++) {
    if (pending === 'long' || pending === 'short') open(t, pending);
    else if (pending === 'close' || pending === 'reverse') {
      const side = pos!.side;
      close(t, b.open[t]!, 'signal');
      if (pending === 'reverse') open(t, side === 'long' ? 'short' : 'long');
    }
    pending = 'none';
    if (pos !== null) {
      const p: { side: 'long' | 'short'; stop: number; target: number } = pos;
      const o = b.open[t]!;
      if (p.side === 'long') {
        if (b.low[t]! <= p.stop) close(t, Math.min(o, p.stop), 'stop');
        else if (b.high[t]! >= p.target) close(t, Math.max(o, p.target), 'target');
      } else if (b.high[t]! >= p.stop) close(t, Math.max(o, p.stop), 'stop');
      else if (b.low[t]! <= p.target) close(t, Math.min(o, p.target), 'target');
    }
    if (t === n - 1) break;
    const x = bits[t]!;
    const cur = pos as { side: 'long' | 'short' } | null;
    if (cur === null) pending = x & LONG_ENTRY ? 'long' : x & SHORT_ENTRY ? 'short' : 'none';
    else if (cur.side === 'long') pending = x & SHORT_ENTRY ? 'reverse' : x & LONG_EXIT ? 'close' : 'none';
    else pending = x & LONG_ENTRY ? 'reverse' : x & SHORT_EXIT ? 'close' : 'none';
  }
  if (pos !== null) close(n - 1, b.close[n - 1]!, 'end');
  return trades;
}

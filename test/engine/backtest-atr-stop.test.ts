/**
 * ATR-multiple stops and targets (spec v1.1, docs/semantics.md "Stops and targets"): a hand-made
 * series whose ATR, levels, triggers and fills are computed by hand below, and a run on real
 * bundled data checked against a second, straightforward implementation written here.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runBacktest } from '../../src/engine/backtest/run.ts';
import { LONG_ENTRY, SHORT_ENTRY, type ExecutionOptions, type Trade } from '../../src/engine/backtest/types.ts';
import { compile } from '../../src/engine/compiler/compile.ts';
import { loadBundledUniverse, type Universe } from '../../src/engine/data/universe.ts';
import { sliceBars } from '../../src/engine/data/bars.ts';
import { probeCausality } from '../../src/engine/compiler/causality.ts';
import { rowsToBars, type BarRow } from '../reference/data.ts';
import { refAtrRun } from '../reference/atr-backtest.ts';
import type { Spec } from '../../src/core/spec/schema.ts';

const DAY = 86_400_000;
const row = (i: number, open: number, high: number, low: number, close: number): BarRow => ({ time: Date.UTC(2020, 0, 1) + i * DAY, open, high, low, close, volume: 1 });

/*
 * ATR(3), Wilder: TR_i = max(H−L, |H−C_{i−1}|, |L−C_{i−1}|); ATR_3 = mean(TR_1..TR_3); ATR_i = (2·ATR_{i−1} + TR_i) / 3.
 *  i   O    H    L     C    TR                                   ATR(3)
 *  0  100  101   99   100   —                                     —
 *  1  100  102   99   101   max(3, 2, 1)            = 3           —        ← long_entry: ATR(3) undefined → no entry at bar 2
 *  2  101  103  100   102   max(3, 2, 1)            = 3           —
 *  3  102  106  101   105   max(5, 4, 1)            = 5           11/3     ← long_entry
 *  4  105  107  103   106   max(4, 2, 2)            = 4           34/9     fill 105; stop 105 − 2·11/3 = 293/3 ≈ 97.667; target 105 + 3·11/3 = 116
 *  5  106  108  97.5  99    max(10.5, 2, 8.5)       = 10.5        325/54   low 97.5 ≤ 97.667 → stop at 293/3 (open 106 is above it).
 *                                                                          (ATR(3) at bar 4, 34/9, would put it at 97.444, untouched: the level is fixed)
 *  6  99   100   96   97    max(4, 1, 3)            = 4           433/81   ← short_entry
 *  7  98    99   95   96    max(4, 2, 2)            = 4           1190/243 fill 98; stop 98 + 2·433/81 = 8804/81 ≈ 108.69; target 98 − 3·433/81 = 6639/81 ≈ 81.963
 *  8  80    82   79   81    max(3, 14, 17)          = 17          6511/729 open 80 ≤ 81.963: a gap through the target → fills at the open, 80
 *  9  81    83   80   82    max(3, 2, 1)            = 3           15209/2187 ← long_entry
 * 10  82   104   67   90    fill 82; stop 82 − 2·15209/2187 = 148916/2187 ≈ 68.091; target 82 + 3·15209/2187 = 224961/2187 ≈ 102.86
 *                           low 67 and high 104 touch both on the fill bar → the stop wins, at 148916/2187
 * 11  70    72   69   71    flat to the end
 * ATR(3) at bar 5: (2·34/9 + 10.5)/3 = (68/9 + 21/2)/3 = (136 + 189)/54 = 325/54; at bar 6: (2·325/54 + 4)/3 = (650 + 216)/162 = 866/162 = 433/81.
 */
const HAND: BarRow[] = [
  row(0, 100, 101, 99, 100), row(1, 100, 102, 99, 101), row(2, 101, 103, 100, 102), row(3, 102, 106, 101, 105),
  row(4, 105, 107, 103, 106), row(5, 106, 108, 97.5, 99), row(6, 99, 100, 96, 97), row(7, 98, 99, 95, 96),
  row(8, 80, 82, 79, 81), row(9, 81, 83, 80, 82), row(10, 82, 104, 67, 90), row(11, 70, 72, 69, 71),
];
const HAND_BITS = Uint8Array.from([0, LONG_ENTRY, 0, LONG_ENTRY, 0, 0, SHORT_ENTRY, 0, 0, LONG_ENTRY, 0, 0]);
const ATR_OPTS: ExecutionOptions = { stopLossPct: null, takeProfitPct: null, feesBps: 0, slippageBps: 0, stopAtr: { mult: 2, period: 3 }, targetAtr: { mult: 3, period: 3 } };

const pick = (t: Trade): unknown => ({ side: t.side, entryIndex: t.entryIndex, exitIndex: t.exitIndex, exitReason: t.exitReason });

describe('ATR stops and targets: hand-computed trades', () => {
  const res = runBacktest(rowsToBars(HAND), HAND_BITS, ATR_OPTS);

  it('enters only where ATR is defined, and exits by stop, gapped target and same-bar stop', () => {
    expect(res.trades.map(pick)).toEqual([
      { side: 'long', entryIndex: 4, exitIndex: 5, exitReason: 'stop' },
      { side: 'short', entryIndex: 7, exitIndex: 8, exitReason: 'target' },
      { side: 'long', entryIndex: 10, exitIndex: 10, exitReason: 'stop' },
    ]);
  });

  it('fills at the hand-computed levels', () => {
    const [a, b, c] = res.trades;
    expect(a!.entryPrice).toBe(105);
    expect(a!.exitPrice).toBeCloseTo(293 / 3, 12);
    expect(a!.return).toBeCloseTo(293 / 3 / 105 - 1, 12);
    expect(b!.entryPrice).toBe(98);
    expect(b!.exitPrice).toBe(80); // the open, not the level 6639/81
    expect(b!.return).toBeCloseTo((98 - 80) / 98, 12);
    expect(c!.entryPrice).toBe(82);
    expect(c!.exitPrice).toBeCloseTo(148916 / 2187, 12);
    const final = (293 / 3 / 105) * (1 + 18 / 98) * (148916 / 2187 / 82);
    expect(res.equity[11]).toBeCloseTo(final, 12);
  });

  it('measures the level from the fill price with slippage, and exits through the same slippage', () => {
    const s = 10 / 1e4;
    const r = runBacktest(rowsToBars(HAND), HAND_BITS, { ...ATR_OPTS, slippageBps: 10 });
    const fill = 105 * (1 + s); // 105.105
    const stop = fill - 22 / 3; // 97.7717: still above the low 97.5
    expect(r.trades[0]!.entryPrice).toBeCloseTo(fill, 12);
    expect(r.trades[0]!.exitPrice).toBeCloseTo(stop * (1 - s), 12);
    expect(r.trades[0]!.exitReason).toBe('stop');
  });

  it('without the ATR fields, the same signals run as before (no stop: the first long runs until the short reverses it)', () => {
    const plain = runBacktest(rowsToBars(HAND), HAND_BITS, { stopLossPct: null, takeProfitPct: null, feesBps: 0, slippageBps: 0 });
    // bar 1's entry is not held back (no ATR to wait for): long at bar 2's open 101, reversed at bar 7's open 98.
    expect(plain.trades.map(pick)[0]).toEqual({ side: 'long', entryIndex: 2, exitIndex: 7, exitReason: 'signal' });
  });
});

const SPEC: Spec = {
  schema: 'gauntlet/spec@1.1', name: 'rsi-atr-stops', idea: 'rsi swings with ATR stops and targets',
  meta: { style: 'mean_reversion', holding_period: 'short', volatility_preference: 'any', market_type: 'equities' },
  params: {},
  indicators: { rsi: { fn: 'rsi', period: 5 } },
  rules: { long_entry: ['rsi', '<', 30], long_exit: ['rsi', '>', 60], short_entry: ['rsi', '>', 80], short_exit: ['rsi', '<', 45] },
  risk: { stop_loss_pct: null, take_profit_pct: null, stop_atr: { mult: 1.5, period: 14 }, target_atr: { mult: 2.5, period: 20 } },
  execution: { fees_bps: 5, slippage_bps: 5 },
};

describe('ATR stops and targets on real data (AAPL 1d) against a second implementation', () => {
  let universe: Universe;
  beforeAll(() => { universe = loadBundledUniverse(undefined, { cacheDir: null }); });

  it('every trade, its fills and its exit reason agree', () => {
    const bars = universe.loadBars('AAPL', '1d', { repair: false }).bars;
    const { result, signals } = compile(SPEC).backtest(bars);
    const ref = refAtrRun(bars, signals, 5 / 1e4, SPEC.risk.stop_atr!, SPEC.risk.target_atr!);
    const reasons = new Set(ref.map((t) => t.reason));
    // The case is only a check if both levels and the signals all act.
    expect([...reasons].sort()).toEqual(expect.arrayContaining(['signal', 'stop', 'target']));
    expect(ref.length).toBeGreaterThan(40);
    expect(result.trades.length).toBe(ref.length);
    result.trades.forEach((t, k) => {
      const r = ref[k]!;
      expect({ side: t.side, entryIndex: t.entryIndex, exitIndex: t.exitIndex, reason: t.exitReason }).toEqual({ side: r.side, entryIndex: r.entryIndex, exitIndex: r.exitIndex, reason: r.reason });
      expect(t.entryPrice).toBeCloseTo(r.entryPrice, 9);
      expect(t.exitPrice).toBeCloseTo(r.exitPrice, 9);
    });
  });

  it('is causal: the signals pass the probe, and a run cut at bar c holds the same positions before c', () => {
    const bars = universe.loadBars('AAPL', '1d', { repair: false }).bars;
    const compiled = compile(SPEC);
    let x = 0.123;
    const random = (): number => { x = (x * 9301 + 0.49297) % 1; return x; };
    expect(probeCausality(compiled, bars, 8, random).ok).toBe(true);
    const full = compiled.backtest(bars).result.position.slice();
    for (const cut of [40, 211, 517, 903]) {
      const part = compile(SPEC).backtest(sliceBars(bars, 0, cut)).result.position;
      // The last bar of the cut run may show the end-of-data exit; every bar before it must agree.
      expect(Array.from(part.subarray(0, cut - 1)), `cut ${cut}`).toEqual(Array.from(full.subarray(0, cut - 1)));
    }
  });
});

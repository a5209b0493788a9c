/**
 * Golden tests: the engine against the independent reference (test/reference/simple-backtest.ts)
 * on real daily bars — S&P 500 index 2000–2020 and AAPL 2013–2018.
 *  (b) several specs: signals bit-for-bit, trades (every field) and all metrics to 1e-9 relative;
 *      a seeded random-signal fuzz (200 arrays) with random stop/target/fees/slippage;
 *  (c) no look-ahead: bars after a cut t are mutated; everything decided by t must not change.
 */
import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../src/engine/backtest/run.ts';
import { computeMetrics } from '../../src/engine/backtest/metrics.ts';
import { backtestSpec, specSignals } from '../../src/engine/strategy/spec-strategy.ts';
import type { Spec } from '../../src/core/spec/schema.ts';
import type { ExecutionOptions } from '../../src/engine/backtest/types.ts';
import { referenceBacktest, referenceMetrics, referenceSignals, specOptions } from '../reference/simple-backtest.ts';
import type { ReferenceResult } from '../reference/simple-backtest.ts';
import { GOLDEN_SPECS, makeSpec } from '../reference/specs.ts';
import { bitsToSignals, loadAapl, loadSp500Index, rowsToBars, signalsToBits } from '../reference/data.ts';
import type { BarRow, SignalRow } from '../reference/data.ts';
import { diffExact, diffMetrics, diffSeries, diffTrades, GOLDEN_TOL } from '../reference/compare.ts';
import { mulberry32 as prng } from '../support/mulberry32.ts';

const DATASETS: { name: string; rows: () => BarRow[] }[] = [
  { name: 'SP500 2000-2020', rows: loadSp500Index },
  { name: 'AAPL 2013-2018', rows: loadAapl },
];


function describeBits(bits: number): string {
  const s = bitsToSignals(Uint8Array.of(bits))[0]!;
  return [s.longEntry && 'LE', s.longExit && 'LX', s.shortEntry && 'SE', s.shortExit && 'SX'].filter(Boolean).join('+') || '-';
}

function diffSignals(rows: readonly BarRow[], engine: Uint8Array, reference: Uint8Array, max = 8): string[] {
  const out: string[] = [];
  if (engine.length !== reference.length) return [`signals: length ${engine.length} ≠ reference ${reference.length}`];
  for (let i = 0; i < engine.length && out.length < max; i++) {
    if (engine[i] !== reference[i]) {
      out.push(`signals[${i}] ${new Date(rows[i]!.time).toISOString().slice(0, 10)}: engine ${describeBits(engine[i]!)} ≠ reference ${describeBits(reference[i]!)}`);
    }
  }
  return out;
}

/** Engine (runBacktest + computeMetrics) vs reference on the same bars and signals. */
function compareBacktests(rows: readonly BarRow[], signals: SignalRow[], opts: ExecutionOptions): { diffs: string[]; ref: ReferenceResult } {
  const bars = rowsToBars(rows);
  const ref = referenceBacktest(rows, signals, opts);
  const refMetrics = referenceMetrics(rows.map((r) => r.time), ref.equity, ref.position, ref.trades);
  const res = runBacktest(bars, signalsToBits(signals), opts);
  const metrics = computeMetrics(bars, res);
  const diffs = [
    ...diffSeries('equity', res.equity, ref.equity, GOLDEN_TOL),
    ...diffExact('position', res.position, ref.position),
    ...diffTrades(res.trades, ref.trades, GOLDEN_TOL),
    ...diffMetrics(metrics, refMetrics, GOLDEN_TOL),
  ];
  return { diffs, ref };
}

describe('golden: engine vs reference on real data, per spec', () => {
  for (const ds of DATASETS) {
    for (const spec of GOLDEN_SPECS) {
      describe(`${spec.name} on ${ds.name}`, () => {
        it('specSignals == reference signals, bit for bit', () => {
          const rows = ds.rows();
          const engine = specSignals(spec, rowsToBars(rows));
          const reference = signalsToBits(referenceSignals(spec, rows));
          expect(diffSignals(rows, engine, reference)).toEqual([]);
          // The spec must actually trade on this data, or the comparison proves little.
          expect(reference.some((b) => b !== 0)).toBe(true);
        });

        it('runBacktest + computeMetrics == reference (same signals)', () => {
          const rows = ds.rows();
          const signals = referenceSignals(spec, rows);
          const { diffs, ref } = compareBacktests(rows, signals, specOptions(spec));
          expect(diffs).toEqual([]);
          expect(ref.trades.length).toBeGreaterThan(3);
        });

        it('backtestSpec == reference end to end', () => {
          const rows = ds.rows();
          const bars = rowsToBars(rows);
          const out = backtestSpec(spec, bars);
          const refSignals = referenceSignals(spec, rows);
          const ref = referenceBacktest(rows, refSignals, specOptions(spec));
          const refMetrics = referenceMetrics(rows.map((r) => r.time), ref.equity, ref.position, ref.trades);
          expect([
            ...diffSignals(rows, out.signals, signalsToBits(refSignals)),
            ...diffSeries('equity', out.result.equity, ref.equity, GOLDEN_TOL),
            ...diffExact('position', out.result.position, ref.position),
            ...diffTrades(out.result.trades, ref.trades, GOLDEN_TOL),
            ...diffMetrics(out.metrics, refMetrics, GOLDEN_TOL),
          ]).toEqual([]);
          expect(out.metrics.trades).toBe(ref.trades.length);
        });
      });
    }
  }
});

describe('golden: indicator warm-up (first defined bar) per indicator output', () => {
  // A rule that is true whenever the operand is defined: the first firing bar is the end of warm-up.
  const PROBES: { indicators: Spec['indicators']; operand: string; firstDefined: number }[] = [
    { indicators: { x: { fn: 'sma', period: 5 } }, operand: 'x', firstDefined: 4 },
    { indicators: { x: { fn: 'ema', period: 5 } }, operand: 'x', firstDefined: 4 },
    { indicators: { x: { fn: 'wma', period: 5 } }, operand: 'x', firstDefined: 4 },
    { indicators: { x: { fn: 'roc', period: 5 } }, operand: 'x', firstDefined: 5 },
    { indicators: { x: { fn: 'bbands', period: 5, stddev: 2 } }, operand: 'x.upper', firstDefined: 4 },
    { indicators: { x: { fn: 'bbands', period: 5, stddev: 2 } }, operand: 'x.lower', firstDefined: 4 },
    { indicators: { x: { fn: 'macd', fast: 3, slow: 6, signal: 4 } }, operand: 'x.macd', firstDefined: 5 },
    { indicators: { x: { fn: 'macd', fast: 3, slow: 6, signal: 4 } }, operand: 'x.signal', firstDefined: 8 },
    { indicators: { x: { fn: 'macd', fast: 3, slow: 6, signal: 4 } }, operand: 'x.histogram', firstDefined: 8 },
    { indicators: { x: { fn: 'atr', period: 5 } }, operand: 'x', firstDefined: 5 },
    { indicators: { x: { fn: 'cci', period: 5 } }, operand: 'x', firstDefined: 4 },
    { indicators: { x: { fn: 'highest', period: 5 } }, operand: 'x', firstDefined: 4 },
    { indicators: { x: { fn: 'lowest', period: 5 } }, operand: 'x', firstDefined: 4 },
  ];
  for (const p of PROBES) {
    it(`${Object.values(p.indicators)[0]!.fn} ${p.operand}: defined from bar ${p.firstDefined}, in engine and reference`, () => {
      const spec = makeSpec({
        indicators: p.indicators,
        rules: { long_entry: [p.operand, '>', -1e300], long_exit: null, short_entry: null, short_exit: [p.operand, '<', 1e300] },
      });
      const rows = loadAapl().slice(0, 40);
      const reference = signalsToBits(referenceSignals(spec, rows));
      const engine = specSignals(spec, rowsToBars(rows));
      expect(reference.findIndex((b) => b !== 0)).toBe(p.firstDefined);
      expect(diffSignals(rows, engine, reference)).toEqual([]);
    });
  }
});

describe('golden: random-signal fuzz on real bars', () => {
  const CASES = 200;

  function fuzzCase(seed: number): { label: string; rows: BarRow[]; signals: SignalRow[]; opts: ExecutionOptions } {
    const rnd = prng(seed * 7919 + 17);
    const ds = DATASETS[seed % DATASETS.length]!;
    const all = ds.rows();
    const length = 5 + Math.floor(rnd() * 600);
    const start = Math.floor(rnd() * (all.length - length));
    const rows = all.slice(start, start + length);
    const density = [0.01, 0.05, 0.1, 0.25, 0.6][Math.floor(rnd() * 5)]!;
    const signals = rows.map(() => ({
      longEntry: rnd() < density, longExit: rnd() < density, shortEntry: rnd() < density, shortExit: rnd() < density,
    }));
    const pick = (pNull: number, lo: number, hi: number): number | null => (rnd() < pNull ? null : lo + rnd() * (hi - lo));
    // One case in four is "tight": a stop and a target within 0.2–1.5%, so both are often touched in one bar.
    const tight = rnd() < 0.25;
    const opts: ExecutionOptions = {
      stopLossPct: tight ? 0.2 + rnd() * 1.3 : pick(0.35, 0.3, 8),
      takeProfitPct: tight ? 0.2 + rnd() * 1.3 : pick(0.35, 0.3, 12),
      feesBps: rnd() < 0.25 ? 0 : rnd() * 25,
      // Now and then a slippage large enough to put the stop beyond the fill bar's open (a gap on the fill bar).
      slippageBps: rnd() < 0.25 ? 0 : rnd() < 0.12 ? 25 + rnd() * 200 : rnd() * 25,
    };
    return { label: `seed ${seed}: ${ds.name} [${start}, ${start + length}) density ${density} ${JSON.stringify(opts)}`, rows, signals, opts };
  }

  it(`${CASES} seeded random signal arrays: engine == reference to 1e-9`, () => {
    const failures: string[] = [];
    const exits = { signal: 0, stop: 0, target: 0, end: 0 };
    const paths = { stopOnFillBar: 0, stopGap: 0, stopGapOnFillBar: 0, targetGap: 0, stopAndTargetTouched: 0, reversal: 0 };
    const countPaths = (c: ReturnType<typeof fuzzCase>, ref: ReferenceResult): void => {
      const s = c.opts.slippageBps / 1e4;
      ref.trades.forEach((t, i) => {
        const bar = c.rows[t.exitIndex]!;
        const raw = t.side === 'long' ? t.exitPrice / (1 - s) : t.exitPrice / (1 + s);
        const atOpen = Math.abs(raw - bar.open) <= 1e-9 * bar.open;
        if (t.exitReason === 'stop' && t.entryIndex === t.exitIndex) paths.stopOnFillBar++;
        if (t.exitReason === 'stop' && atOpen) paths.stopGap++;
        if (t.exitReason === 'stop' && atOpen && t.entryIndex === t.exitIndex) paths.stopGapOnFillBar++;
        if (t.exitReason === 'target' && atOpen) paths.targetGap++;
        if (t.exitReason === 'stop' && c.opts.takeProfitPct !== null) {
          const target = t.entryPrice * (t.side === 'long' ? 1 + c.opts.takeProfitPct / 100 : 1 - c.opts.takeProfitPct / 100);
          if (t.side === 'long' ? bar.high >= target : bar.low <= target) paths.stopAndTargetTouched++;
        }
        const next = ref.trades[i + 1];
        if (t.exitReason === 'signal' && next !== undefined && next.entryIndex === t.exitIndex) paths.reversal++;
      });
    };
    for (let seed = 1; seed <= CASES; seed++) {
      const c = fuzzCase(seed);
      const { diffs, ref } = compareBacktests(c.rows, c.signals, c.opts);
      countPaths(c, ref);
      for (const t of ref.trades) exits[t.exitReason]++;
      if (diffs.length > 0) failures.push(`${c.label}\n    ${diffs.slice(0, 4).join('\n    ')}`);
    }
    expect(failures.slice(0, 5), `${failures.length} of ${CASES} fuzz cases differ`).toEqual([]);
    // The fuzz must exercise every exit path.
    expect(exits.signal).toBeGreaterThan(100);
    expect(exits.stop).toBeGreaterThan(100);
    expect(exits.target).toBeGreaterThan(100);
    expect(exits.end).toBeGreaterThan(50);
    for (const [path, count] of Object.entries(paths)) expect(count, path).toBeGreaterThan(20);
  });
});

describe('golden: no look-ahead', () => {
  /** Every bar after `cut` scaled by its own random factor (OHLC stay consistent), volume too. */
  function mutateAfter(rows: readonly BarRow[], cut: number, seed: number): BarRow[] {
    const rnd = prng(seed);
    return rows.map((r, i) => {
      if (i <= cut) return { ...r };
      const k = Math.exp((rnd() - 0.5) * 0.6);
      return { time: r.time, open: r.open * k, high: r.high * k, low: r.low * k, close: r.close * k, volume: r.volume * (0.2 + 2 * rnd()) };
    });
  }

  const SPECS: Spec[] = GOLDEN_SPECS;

  for (const ds of DATASETS) {
    for (const spec of SPECS) {
      it(`${spec.name} on ${ds.name}: signals, equity, positions and trades up to t ignore later bars`, () => {
        const rows = ds.name.startsWith('SP500') ? ds.rows().slice(0, 1500) : ds.rows();
        const n = rows.length;
        const base = backtestSpec(spec, rowsToBars(rows));
        const problems: string[] = [];
        for (const [j, cut] of [40, 150, Math.floor(n / 2), n - 3, n - 2].entries()) {
          const mutated = mutateAfter(rows, cut, 1000 + j);
          const m = backtestSpec(spec, rowsToBars(mutated));
          const mSignals = specSignals(spec, rowsToBars(mutated));
          const where = `cut ${cut}`;
          for (let t = 0; t <= cut; t++) {
            if (mSignals[t] !== base.signals[t]) problems.push(`${where}: specSignals[${t}] ${mSignals[t]} ≠ ${base.signals[t]}`);
            if (m.signals[t] !== base.signals[t]) problems.push(`${where}: backtestSpec signals[${t}] ${m.signals[t]} ≠ ${base.signals[t]}`);
            if (!Object.is(m.result.equity[t], base.result.equity[t])) problems.push(`${where}: equity[${t}] ${m.result.equity[t]} ≠ ${base.result.equity[t]}`);
            if (m.result.position[t] !== base.result.position[t]) problems.push(`${where}: position[${t}] ${m.result.position[t]} ≠ ${base.result.position[t]}`);
          }
          const closedBy = (tr: typeof base.result.trades): string => JSON.stringify(tr.filter((x) => x.exitIndex <= cut));
          if (closedBy(m.result.trades) !== closedBy(base.result.trades)) problems.push(`${where}: trades closed by t differ`);
          const openedBy = (tr: typeof base.result.trades): string =>
            JSON.stringify(tr.filter((x) => x.entryIndex <= cut).map((x) => [x.side, x.entryIndex, x.entryTime, x.entryPrice]));
          if (openedBy(m.result.trades) !== openedBy(base.result.trades)) problems.push(`${where}: entries made by t differ`);
          // The mutation must matter after the cut, or the test proves nothing.
          if (cut < n - 3 && JSON.stringify(m.result.equity.slice(cut + 1)) === JSON.stringify(base.result.equity.slice(cut + 1))) {
            problems.push(`${where}: mutation had no effect after the cut`);
          }
          // The reference, too, must not look ahead.
          const refBase = referenceBacktest(rows, referenceSignals(spec, rows), specOptions(spec));
          const refMut = referenceBacktest(mutated, referenceSignals(spec, mutated), specOptions(spec));
          if (JSON.stringify(refMut.equity.slice(0, cut + 1)) !== JSON.stringify(refBase.equity.slice(0, cut + 1))) {
            problems.push(`${where}: reference equity up to t changed`);
          }
        }
        expect(problems.slice(0, 10)).toEqual([]);
      });
    }
  }
});

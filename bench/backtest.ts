import { compile } from '../src/engine/compiler/compile.ts';
import { sma } from '../src/engine/indicators/sma.ts';
import { scratchF64, Workspace, withWorkspace } from '../src/engine/workspace.ts';
import type { Bars } from '../src/engine/data/bars.ts';
import { SMA_CROSS } from './sma-cross.ts';
import { randomWalkBars } from './random-walk.ts';
import { tiSmaCrossBacktest, type BarObject } from './ti-backtest.ts';
import { interleavedMs } from './timing.ts';

/** One pass reading the five OHLCV columns: the floor any backtest has to pay. */
function memoryPass(b: Bars): number {
  const { open, high, low, close, volume } = b;
  let acc = 0;
  for (let i = 0; i < open.length; i++) acc += open[i]! + high[i]! + low[i]! + close[i]! + volume[i]!;
  return acc;
}

/** The SMA kernel as it was before exact sums: a plain rolling sum, (sum − oldest) + newest. */
function plainSma(src: Float64Array, period: number): Float64Array {
  const out = scratchF64(src.length);
  let sum = 0;
  for (let i = 0; i < src.length; i++) {
    sum = i < period ? sum + src[i]! : sum - src[i - period]! + src[i]!;
    out[i] = i >= period - 1 ? sum / period : NaN;
  }
  return out;
}

/**
 * The 2-SMA reversal spec on 1M synthetic minute bars: signals, execution and all metrics.
 * `engine_ms` is the steady state of repeated runs on one series (an optimiser's loop: output
 * columns reused); `engine_fresh_ms` allocates every output column anew.
 */
export function benchBacktest(n = 1_000_000): Record<string, unknown> {
  const bars = randomWalkBars(n, 42);
  const objects: BarObject[] = Array.from(bars.time, (time, i) => ({
    time, open: bars.open[i]!, high: bars.high[i]!, low: bars.low[i]!, close: bars.close[i]!, volume: bars.volume[i]!,
  }));
  const compiled = compile(SMA_CROSS);
  const fast = SMA_CROSS.params.fast!.value;
  const slow = SMA_CROSS.params.slow!.value;
  const { fees_bps: fees, slippage_bps: slip } = SMA_CROSS.execution;
  const ours = compiled.backtest(bars);
  const theirs = tiSmaCrossBacktest(objects, fast, slow, fees, slip);
  const agrees = ours.result.trades.length === theirs.trades
    && ours.result.equity.every((e, i) => Math.abs(e / theirs.equity[i]! - 1) < 1e-9);

  const [passMs, engineMs, freshMs] = interleavedMs([
    () => memoryPass(bars),
    () => compiled.backtest(bars, { reuse: true }),
    () => compiled.backtest(bars),
  ], 15, 3);
  // Both kernels write into a reused workspace column, as they do inside the engine.
  const ws = new Workspace();
  const [exactSmaMs, plainSmaMs] = interleavedMs([
    () => withWorkspace(ws, () => sma(bars.close, slow)),
    () => withWorkspace(ws, () => plainSma(bars.close, slow)),
  ], 15, 3);
  const [engineMs2, tiMs] = interleavedMs([() => compiled.backtest(bars, { reuse: true }), () => tiSmaCrossBacktest(objects, fast, slow, fees, slip)], 3, 1);
  return {
    bench: 'backtest_sma_cross',
    bars: n,
    trades: ours.result.trades.length,
    engine_ms: engineMs,
    engine_fresh_ms: freshMs,
    memory_pass_ms: passMs,
    technicalindicators_ms: tiMs,
    bars_per_s: Math.round(n / (engineMs! / 1000)),
    x_memory_pass: engineMs! / passMs!,
    x_memory_pass_fresh: freshMs! / passMs!,
    x_faster_than_technicalindicators: tiMs! / engineMs2!,
    sma_exact_ms: exactSmaMs,
    sma_plain_ms: plainSmaMs,
    agrees_with_technicalindicators: agrees,
    targets: { x_memory_pass: '<= 4', x_faster_than_technicalindicators: '>= 20' },
  };
}

import { backtestSpec } from '../src/engine/strategy/spec-strategy.ts';
import type { Bars } from '../src/engine/data/bars.ts';
import { SMA_CROSS } from './sma-cross.ts';
import { randomWalkBars } from './random-walk.ts';
import { tiSmaCrossBacktest, type BarObject } from './ti-backtest.ts';
import { medianMs } from './timing.ts';

/** One pass reading the five OHLCV columns: the floor any backtest has to pay. */
function memoryPass(b: Bars): number {
  const { open, high, low, close, volume } = b;
  let acc = 0;
  for (let i = 0; i < open.length; i++) acc += open[i]! + high[i]! + low[i]! + close[i]! + volume[i]!;
  return acc;
}

export function benchBacktest(n = 1_000_000): Record<string, unknown> {
  const bars = randomWalkBars(n, 42);
  const objects: BarObject[] = Array.from(bars.time, (time, i) => ({
    time, open: bars.open[i]!, high: bars.high[i]!, low: bars.low[i]!, close: bars.close[i]!, volume: bars.volume[i]!,
  }));
  const fast = SMA_CROSS.params.fast!.value;
  const slow = SMA_CROSS.params.slow!.value;
  const ours = backtestSpec(SMA_CROSS, bars);
  const theirs = tiSmaCrossBacktest(objects, fast, slow, SMA_CROSS.execution.fees_bps, SMA_CROSS.execution.slippage_bps);
  const lastOurs = ours.result.equity[n - 1]!;
  const lastTheirs = theirs.equity[n - 1]!;

  const engineMs = medianMs(() => backtestSpec(SMA_CROSS, bars), 9);
  const passMs = medianMs(() => memoryPass(bars), 15);
  const tiMs = medianMs(() => tiSmaCrossBacktest(objects, fast, slow, 2, 1), 3, 1);
  return {
    bench: 'backtest_sma_cross',
    bars: n,
    engine_ms: engineMs,
    memory_pass_ms: passMs,
    technicalindicators_ms: tiMs,
    bars_per_s: Math.round(n / (engineMs / 1000)),
    x_memory_pass: engineMs / passMs,
    x_faster_than_technicalindicators: tiMs / engineMs,
    trades: ours.result.trades.length,
    agrees_with_technicalindicators: ours.result.trades.length === theirs.trades && Math.abs(lastOurs / lastTheirs - 1) < 1e-9,
    targets: { x_memory_pass: '<= 6', x_faster_than_technicalindicators: '>= 20' },
  };
}

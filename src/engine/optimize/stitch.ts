import type { SeriesKey, SeriesRun } from '../../core/research/run.ts';
import { allocBars } from '../data/bars.ts';
import { makeResult } from '../backtest/run.ts';
import { computeMetrics } from '../backtest/metrics.ts';
import { TradeLog } from '../backtest/trade-log.ts';
import type { ExitReason } from '../backtest/types.ts';
import type { WindowRun } from '../research/window-run.ts';
import { meanBarReturn, toSeriesRun } from '../research/series-run.ts';

// TradeLog's reason codes, in its order.
const REASONS: readonly ExitReason[] = ['signal', 'stop', 'target', 'end'];

/**
 * Out-of-sample pieces of one series, in time order, stitched into one run: each piece starts at
 * equity 1 (flat), so it is scaled by the equity the previous pieces ended with — the stitched curve
 * is continuous and compounds piece returns. Trades keep their returns; metrics are recomputed on
 * the stitched columns (DESIGN §5).
 */
export function stitchRuns(key: SeriesKey, sector: string, pieces: readonly WindowRun[]): SeriesRun {
  const symbol = pieces[0]?.bars.symbol ?? key.symbol;
  const total = pieces.reduce((s, p) => s + p.bars.time.length, 0);
  const bars = allocBars(symbol, key.interval, total);
  const equity = new Float64Array(total);
  const position = new Int8Array(total);
  const log = new TradeLog();
  let carry = 1;
  let off = 0;
  for (const p of pieces) {
    const n = p.bars.time.length;
    if (n === 0) continue;
    for (const c of ['time', 'open', 'high', 'low', 'close', 'volume'] as const) bars[c].set(p.bars[c], off);
    const e = p.result.equity;
    for (let i = 0; i < n; i++) equity[off + i] = e[i]! * carry;
    position.set(p.result.position, off);
    const l = p.result.log;
    for (let k = 0; k < l.count; k++) {
      log.push(l.side[k]!, l.entryIndex[k]! + off, l.exitIndex[k]! + off, l.entryPrice[k]!, l.exitPrice[k]!, l.ret[k]!, REASONS[l.reason[k]!]!);
    }
    carry = equity[off + n - 1]!;
    off += n;
  }
  const result = makeResult(bars.time, equity, position, log);
  // The stitched pieces are visible bars, so their own mean bar return is μ; no market hedge is kept for
  // a walk-forward report (nothing judges it hedged), so the market column is zero.
  return toSeriesRun(key, sector, 'visible', bars, result, computeMetrics(bars, result), { drift: meanBarReturn(bars.close, total), market: new Float64Array(total) });
}

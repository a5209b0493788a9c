import { check, verdict } from '../research/gate.ts';
import type { Check, GateVerdict } from '../research/gate.ts';
import type { SeriesRun } from '../research/run.ts';
import { DEFAULT_GATE_CONFIG } from './config.ts';
import type { RobustnessConfig } from './config.ts';
import { edgeIn, positiveCheck, retention, retentionCheck } from './edge.ts';
import type { Edge, Window } from './edge.ts';
import { fmt, pct } from './format.ts';
import { equalWeightPortfolio, timeSpan } from './portfolio.ts';
import { pooledTrades } from './pooled-trades.ts';

/**
 * Robustness (DESIGN §6): the edge — avg trade return (trades attributed to the window they were
 * entered in) and the per-bar Sharpe of the equal-weight portfolio — must be > 0 on the full sample
 * and keep ≥ `minRetention` of its value on:
 * - test (the last 1 − trainFraction of the time span) vs train (the first trainFraction);
 * - second half vs first half;
 * - K random subsamples vs the full sample.
 * A subsample is a random CONTIGUOUS window `subsampleFraction` of the span wide (its start uniform
 * over the positions that fit; one `random()` call per subsample), not a random subset of trades:
 * a random half of the trades keeps the full mean up to sampling noise almost surely, so it would
 * test luck of the draw, not whether the edge lived in one stretch of time — and a window also
 * gives a per-bar Sharpe on the same stretch, which a set of trades cannot.
 * A part with no trade (or fewer than two returns) leaves the ratio unmeasured, which fails.
 * The subsample checks report the worst (smallest) ratio over the K windows; the note lists all.
 */
export function robustness(runs: readonly SeriesRun[], random: () => number, config: RobustnessConfig = DEFAULT_GATE_CONFIG.robustness): GateVerdict {
  const min = config.minRetention;
  const span = timeSpan(runs);
  if (span === null || !(span.to > span.from)) {
    const why = span === null ? 'no runs to judge' : 'the runs span no time';
    return verdict('robustness', [positiveCheck('full_avg_trade_return', null, why), positiveCheck('full_sharpe', null, why)]);
  }
  const p = equalWeightPortfolio(runs);
  const trades = pooledTrades(runs);
  const { from, to } = span;
  const len = to - from;
  const edge = (w: Window): Edge => edgeIn(p, trades, w);

  const full = edge({ from, to, closedEnd: true });
  const split = from + config.trainFraction * len;
  const train = edge({ from, to: split, closedEnd: false });
  const test = edge({ from: split, to, closedEnd: true });
  const mid = from + 0.5 * len;
  const first = edge({ from, to: mid, closedEnd: false });
  const second = edge({ from: mid, to, closedEnd: true });

  const checks: Check[] = [
    positiveCheck('full_avg_trade_return', full.avgTradeReturn, `${full.trades} trades over the whole span`),
    positiveCheck('full_sharpe', full.sharpe, `per-bar Sharpe of the portfolio over ${full.bars} bars`),
    retentionCheck('test_vs_train_avg_trade_return', test.avgTradeReturn, train.avgTradeReturn, min, `test (last ${pct(1 - config.trainFraction)}, ${test.trades} trades) vs train (${train.trades} trades)`),
    retentionCheck('test_vs_train_sharpe', test.sharpe, train.sharpe, min, `per-bar Sharpe, test (${test.bars} bars) vs train (${train.bars} bars)`),
    retentionCheck('second_vs_first_half_avg_trade_return', second.avgTradeReturn, first.avgTradeReturn, min, `second half (${second.trades} trades) vs first half (${first.trades} trades)`),
    retentionCheck('second_vs_first_half_sharpe', second.sharpe, first.sharpe, min, `per-bar Sharpe, second half (${second.bars} bars) vs first half (${first.bars} bars)`),
  ];

  const width = config.subsampleFraction * len;
  const windows: Window[] = [];
  for (let k = 0; k < config.subsamples; k++) {
    const start = from + random() * (len - width);
    windows.push({ from: start, to: start + width, closedEnd: start + width >= to });
  }
  const parts = windows.map(edge);
  checks.push(
    worstRetention('subsample_min_avg_trade_return', parts.map((e) => e.avgTradeReturn), full.avgTradeReturn, min, windows, 'avg trade return'),
    worstRetention('subsample_min_sharpe', parts.map((e) => e.sharpe), full.sharpe, min, windows, 'per-bar Sharpe'),
  );
  return verdict('robustness', checks);
}

function worstRetention(name: string, parts: Array<number | null>, ref: number | null, min: number, windows: readonly Window[], what: string): Check {
  const rs = parts.map((part) => retention(part, ref));
  const head = `${what} on ${windows.length} random contiguous windows vs the full sample`;
  const listed = rs.map((r, i) => `${new Date(windows[i]!.from).toISOString().slice(0, 10)}: ${r.ratio === null ? r.why : fmt(r.ratio)}`).join('; ');
  const bad = rs.findIndex((r) => r.ratio === null);
  if (bad >= 0) return check(name, null, '>=', min, `${head}; window ${bad + 1} ${rs[bad]!.why} — ${listed}`);
  const worst = Math.min(...rs.map((r) => r.ratio!));
  return check(name, worst, '>=', min, `${head} — ${listed}`);
}

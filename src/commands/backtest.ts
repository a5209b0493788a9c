import { resolve } from 'node:path';
import { UserError } from '../core/errors.ts';
import { isInterval, type Interval } from '../core/intervals.ts';
import { parseSpecText } from '../core/spec/parse.ts';
import { logicHash } from '../core/spec/hash.ts';
import type { Spec } from '../core/spec/schema.ts';
import type { Bars } from '../engine/data/bars.ts';
import { compile } from '../engine/compiler/compile.ts';
import { grossMetrics } from '../engine/backtest/gross.ts';
import type { BacktestResult, Metrics } from '../engine/backtest/types.ts';
import { costFlags, parseCommandArgs, requireNumber } from './args.ts';
import { spanYears } from '../engine/backtest/metrics.ts';
import { withCosts } from '../core/spec/costs.ts';
import { isoTime, sparkline, table } from './format.ts';
import type { Io } from './io.ts';
import { loadSeries } from './data-source.ts';
import { parseBound } from '../engine/data/universe.ts';
import { MAX_TEXT_BYTES, readInputText } from '../core/input-file.ts';
import { formatNumber } from '../core/format/numbers.ts';

const HELP = `Usage: gauntlet backtest --spec FILE (--data CSV | --symbol SYM [--universe DIR] [--interval I])
                         [--from DATE] [--to DATE] [--fees BPS] [--slippage BPS] [--trades N]
                         [--repair] [--json]

Runs a spec v1 on one series and prints its metrics net of costs beside the same run with no
costs (gross), buying and holding the same bars beside them, an equity chart and the trades.

  --spec FILE      the strategy spec (JSON, schema gauntlet/spec@1; examples in specs/)
  --data CSV       a CSV/TSV file (bundled, Yahoo or TradingView format; .gz allowed)
  --symbol SYM     a symbol of the bundled data, or of --universe DIR
  --universe DIR   a directory of CSVs plus universe.json, instead of the bundled data
  --interval I     1m 5m 15m 1h 4h 1d (default: 1d when the symbol has daily bars, else
                   its finest native interval); coarser intervals are resampled up the ladder
                   (with --data, on the UTC clock)
  --from DATE      first bar to include (ISO date or datetime, inclusive)
  --to DATE        last bar to include (ISO date: the whole day; datetime: inclusive)
  --fees BPS       fees per fill in basis points, instead of the spec's (0 to 1000)
  --slippage BPS   slippage per fill in basis points, instead of the spec's (docs/costs.md)
  --trades N       list the last N trades (default 10; 0 for none)
  --repair         drop bad rows instead of failing, reporting each one on stderr
  --json           print exactly one JSON object (full precision; times ISO-8601)

Exit codes: 0 success, 2 bad usage or bad input (message on stderr).
`;

export async function run(argv: string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs('backtest', argv, {
    spec: { type: 'string' },
    data: { type: 'string' },
    symbol: { type: 'string' },
    universe: { type: 'string' },
    interval: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    fees: { type: 'string' },
    slippage: { type: 'string' },
    trades: { type: 'string' },
    repair: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) { io.out(HELP); return 0; }
  if (values.spec === undefined) throw new UserError('gauntlet backtest: --spec FILE is required\nRun \'gauntlet backtest --help\' for usage.');
  if ((values.data === undefined) === (values.symbol === undefined)) {
    throw new UserError('gauntlet backtest: give exactly one of --data CSV or --symbol SYM\nRun \'gauntlet backtest --help\' for usage.');
  }
  if (values.data !== undefined && values.universe !== undefined) throw new UserError('gauntlet backtest: --universe goes with --symbol, not with --data');
  let interval: Interval | undefined;
  if (values.interval !== undefined) {
    if (!isInterval(values.interval)) throw new UserError(`gauntlet backtest: --interval must be one of 1m 5m 15m 1h 4h 1d, got "${values.interval}"`);
    interval = values.interval;
  }
  const costs = costFlags('backtest', values);
  const listed = requireNumber('backtest', 'trades', values.trades, { integer: true, min: 0 }) ?? 10;
  const from = values.from === undefined ? undefined : parseBound(values.from, 'from');
  const to = values.to === undefined ? undefined : parseBound(values.to, 'to');

  const specPath = resolve(io.cwd, values.spec);
  const spec = withCosts(parseSpecText(readText(specPath), values.spec), costs);
  const bars = await loadSeries({
    io, data: values.data, symbol: values.symbol, universe: values.universe, interval, from, to, repair: values.repair,
  });
  if (bars.time.length < 2) throw new UserError(`gauntlet backtest: only ${bars.time.length} bar(s) in the selected range; a backtest needs at least 2`);

  const compiled = compile(spec);
  const { result, metrics, signals } = compiled.backtest(bars);
  // The same run with no costs: what the costs took is the gap between the two columns.
  const gross = grossMetrics(bars, signals, compiled.execution);
  io.out(values.json ? `${JSON.stringify(backtestJson(spec, bars, result, metrics, gross))}\n` : humanReport(spec, bars, result, metrics, gross, listed));
  return 0;
}

function readText(path: string): string {
  try {
    return readInputText(path, path, MAX_TEXT_BYTES, 'spec');
  } catch (e) {
    if (e instanceof UserError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(`${path}: cannot read the spec (${code ?? String(e)})`);
  }
}

/** The `--json` shape (issue contract): one object, numbers unrounded, times ISO-8601. */
export function backtestJson(spec: Spec, bars: Bars, result: BacktestResult, metrics: Metrics, gross?: Metrics): Record<string, unknown> {
  const n = bars.time.length;
  return {
    spec: { name: spec.name, logic_hash: logicHash(spec) },
    costs: { ...spec.execution },
    symbol: bars.symbol,
    interval: bars.interval,
    bars: n,
    start: isoTime(bars.time[0]!),
    end: isoTime(bars.time[n - 1]!),
    metrics,
    ...(gross === undefined ? {} : { gross_metrics: gross }),
    buy_and_hold: buyAndHold(bars),
    trades: result.trades.map((t) => ({
      side: t.side,
      entry_time: isoTime(t.entryTime),
      entry_price: t.entryPrice,
      exit_time: isoTime(t.exitTime),
      exit_price: t.exitPrice,
      return: t.return,
      exit_reason: t.exitReason,
    })),
  };
}

/**
 * Buying at the first bar's close and holding to the last, with no costs: what the strategy must beat
 * to have done anything with the same bars. Same definitions as the metrics (docs/semantics.md).
 */
export function buyAndHold(bars: Bars): { total_return: number; cagr: number; max_drawdown: number } {
  const c = bars.close;
  const n = c.length;
  const total = c[n - 1]! / c[0]! - 1;
  const years = spanYears(bars.time);
  let peak = -Infinity;
  let dd = 0;
  for (let i = 0; i < n; i++) {
    if (c[i]! > peak) peak = c[i]!;
    else dd = Math.max(dd, 1 - c[i]! / peak);
  }
  return { total_return: total, cagr: years > 0 ? (1 + total) ** (1 / years) - 1 : 0, max_drawdown: dd };
}

function tradeTable(result: BacktestResult, count: number): string[] {
  if (count === 0 || result.trades.length === 0) return [];
  const shown = result.trades.slice(-count);
  const rows = shown.map((t) => [t.side, isoTime(t.entryTime).slice(0, 16).replace('T', ' '), formatNumber(t.entryPrice, 'value'), isoTime(t.exitTime).slice(0, 16).replace('T', ' '), formatNumber(t.exitPrice, 'value'), formatNumber(t.return, 'percent'), t.exitReason]);
  const head = ['side', 'entry', 'price', 'exit', 'price', 'return', 'reason'];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]): string => `  ${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(w[i]!))).join('  ')}`;
  return ['', `${shown.length === result.trades.length ? 'trades' : `last ${shown.length} of ${result.trades.length} trades`}:`, line(head), ...rows.map(line)];
}

function humanReport(spec: Spec, bars: Bars, result: BacktestResult, m: Metrics, g: Metrics, listed: number): string {
  const n = bars.time.length;
  const reasons = new Map<string, number>();
  for (const t of result.trades) reasons.set(t.exitReason, (reasons.get(t.exitReason) ?? 0) + 1);
  const exits = [...reasons].map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
  const pf = (x: Metrics): string => (x.profit_factor !== null ? formatNumber(x.profit_factor, 'ratio') : x.trades === 0 ? 'n/a (no trades)' : 'n/a (no losing trade)');
  // A CAGR from less than a year of bars is an extrapolation; say so beside it.
  const years = spanYears(bars.time);
  const short = years < 1 ? ` (annualised from ${Math.round(years * 365.25)} days)` : '';
  // Net (with the spec's costs) beside gross (the same run at 0 costs).
  const rows: Array<[string, string, string]> = [
    ['', 'net', 'gross'],
    ['total return', formatNumber(m.total_return, 'percent'), formatNumber(g.total_return, 'percent')],
    ['CAGR', formatNumber(m.cagr, 'percent'), `${formatNumber(g.cagr, 'percent')}${short}`],
    ['Sharpe', formatNumber(m.sharpe, 'sharpe'), formatNumber(g.sharpe, 'sharpe')],
    ['Sortino', formatNumber(m.sortino, 'sharpe'), formatNumber(g.sortino, 'sharpe')],
    ['max drawdown', formatNumber(m.max_drawdown, 'percent'), formatNumber(g.max_drawdown, 'percent')],
    ['avg trade', formatNumber(m.avg_trade_return, 'percent'), formatNumber(g.avg_trade_return, 'percent')],
    ['win rate', formatNumber(m.win_rate, 'percent'), formatNumber(g.win_rate, 'percent')],
    ['profit factor', pf(m), pf(g)],
  ];
  const w = Math.max(...rows.map(([, v]) => v.length));
  const bh = buyAndHold(bars);
  const costs = `costs: fees ${spec.execution.fees_bps} bps + slippage ${spec.execution.slippage_bps} bps per fill`;
  return [
    `${spec.name} on ${bars.symbol} ${bars.interval}: ${n} bars, ${isoTime(bars.time[0]!).slice(0, 16)} → ${isoTime(bars.time[n - 1]!).slice(0, 16)}`,
    costs,
    '',
    table([
      ...rows.map(([k, net, gross]) => [k, `${net.padEnd(w)}  ${gross}`] as const),
      ['trades', `${m.trades} (${formatNumber(m.trades_per_year, 'ratio')}/yr; exits: ${exits})`],
      ['exposure', formatNumber(m.exposure, 'percent')],
      ['buy and hold', `total return ${formatNumber(bh.total_return, 'percent')}, CAGR ${formatNumber(bh.cagr, 'percent')}, max drawdown ${formatNumber(bh.max_drawdown, 'percent')} (first close to last, no costs)`],
    ]),
    '',
    `  equity ${sparkline(result.equity, 60)}  ${formatNumber(result.equity[n - 1]!, 'value')}`,
    ...tradeTable(result, listed),
    '',
  ].join('\n');
}

/**
 * `gauntlet backtest`, run in-process through the CLI's main(): the --json contract, the human
 * report, and every bad input turned into exit 2 with a message that says what and where.
 * Expected numbers come from compile(spec).backtest(bars) on bars loaded here, not from earlier output.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { bufferIo } from '../../src/commands/io.ts';
import { logicHash } from '../../src/core/spec/hash.ts';
import { parseSpecText } from '../../src/core/spec/parse.ts';
import type { Spec } from '../../src/core/spec/schema.ts';
import { compile } from '../../src/engine/compiler/compile.ts';
import type { Bars } from '../../src/engine/data/bars.ts';
import { loadBundledUniverse } from '../../src/engine/data/universe.ts';

const REPO = join(import.meta.dirname, '..', '..');
const tempDir = (): string => mkdtempSync(join(tmpdir(), 'gauntlet-backtest-'));
let cache: string;

async function gauntlet(args: string[], cwd = REPO) {
  const io = bufferIo({ GAUNTLET_CACHE: cache }, cwd);
  const code = await main(['backtest', ...args], io);
  return { code, out: io.stdout(), err: io.stderr() };
}

const loadSpec = (file: string): Spec => parseSpecText(readFileSync(join(REPO, 'specs', file), 'utf8'), file);
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const METRIC_KEYS = ['avg_trade_return', 'cagr', 'exposure', 'max_drawdown', 'profit_factor', 'sharpe', 'sortino', 'total_return', 'trades', 'trades_per_year', 'win_rate'];
const TRADE_KEYS = ['entry_price', 'entry_time', 'exit_price', 'exit_reason', 'exit_time', 'return', 'side'];

let aapl: Bars;
beforeAll(() => {
  cache = tempDir();
  aapl = loadBundledUniverse(undefined, { cacheDir: null }).loadBars('AAPL', '1d', { repair: false }).bars;
});

describe('gauntlet backtest --json', () => {
  it('prints one object with exactly the contract keys, ISO times and unrounded numbers', async () => {
    const r = await gauntlet(['--spec', 'specs/rsi-reversion.json', '--symbol', 'AAPL', '--json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out.endsWith('\n')).toBe(true);
    expect(r.out.trim().split('\n')).toHaveLength(1);
    const o = JSON.parse(r.out) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(Object.keys(o).sort()).toEqual(['bars', 'buy_and_hold', 'costs', 'end', 'gross_metrics', 'interval', 'metrics', 'spec', 'start', 'symbol', 'trades']);
    // Buy and hold, computed here from the closes: first close to last, running-peak drawdown.
    const c = Array.from(aapl.close);
    let peak = -Infinity;
    let dd = 0;
    for (const x of c) { peak = Math.max(peak, x); dd = Math.max(dd, 1 - x / peak); }
    const total = c[c.length - 1]! / c[0]! - 1;
    const years = (aapl.time[aapl.time.length - 1]! - aapl.time[0]!) / (365.25 * 86_400_000);
    expect(o.buy_and_hold.total_return).toBeCloseTo(total, 14);
    expect(o.buy_and_hold.max_drawdown).toBeCloseTo(dd, 14);
    expect(o.buy_and_hold.cagr).toBeCloseTo((1 + total) ** (1 / years) - 1, 14);
    expect(Object.keys(o.spec).sort()).toEqual(['logic_hash', 'name']);
    expect(Object.keys(o.metrics).sort()).toEqual(METRIC_KEYS);
    for (const t of o.trades) expect(Object.keys(t).sort()).toEqual(TRADE_KEYS);

    // The same run, computed here: default interval 1d for a symbol with daily bars, the whole series.
    const spec = loadSpec('rsi-reversion.json');
    const { result, metrics } = compile(spec).backtest(aapl);
    expect(o.spec).toEqual({ name: 'rsi-reversion', logic_hash: logicHash(spec) });
    expect([o.symbol, o.interval, o.bars]).toEqual(['AAPL', '1d', 1259]);
    expect([o.start, o.end]).toEqual(['2013-02-08T00:00:00.000Z', '2018-02-07T00:00:00.000Z']);
    expect(o.metrics).toEqual(metrics); // exact: JSON round-trips every double
    // Gross beside net: the same spec with its costs set to 0, run here.
    expect(o.costs).toEqual({ fees_bps: 1, slippage_bps: 0 });
    expect(o.gross_metrics).toEqual(compile({ ...spec, execution: { fees_bps: 0, slippage_bps: 0 } }).backtest(aapl).metrics);
    expect(o.trades).toHaveLength(result.trades.length);
    expect(o.trades.length).toBeGreaterThan(0);
    result.trades.forEach((t, i) => {
      const j = o.trades[i];
      expect(j.entry_time).toMatch(ISO);
      expect(j.exit_time).toMatch(ISO);
      expect(Date.parse(j.entry_time)).toBe(t.entryTime);
      expect(Date.parse(j.exit_time)).toBe(t.exitTime);
      expect([j.side, j.entry_price, j.exit_price, j.return, j.exit_reason]).toEqual([t.side, t.entryPrice, t.exitPrice, t.return, t.exitReason]);
    });
    // Unrounded: at least one number carries more digits than any display rounding would keep.
    expect(String(o.metrics.sharpe).replace(/^-?\d*\./, '').length).toBeGreaterThan(6);
  });

  it('--interval, --from and --to select the bars (BTCUSD resampled to 1h)', async () => {
    const r = await gauntlet(['--spec', 'specs/sma-cross-reversal.json', '--symbol', 'BTCUSD', '--interval', '1h', '--from', '2016-03-01', '--to', '2016-03-31', '--json']);
    expect(r.code).toBe(0);
    const o = JSON.parse(r.out);
    const bars = loadBundledUniverse(undefined, { cacheDir: null }).loadBars('BTCUSD', '1h', { from: '2016-03-01', to: '2016-03-31' }).bars;
    expect([o.interval, o.bars, o.start, o.end]).toEqual(['1h', bars.time.length, new Date(bars.time[0]!).toISOString(), new Date(bars.time[bars.time.length - 1]!).toISOString()]);
    expect(o.start >= '2016-03-01T00:00:00.000Z' && o.end < '2016-04-01T00:00:00.000Z').toBe(true);
    expect(o.metrics).toEqual(compile(loadSpec('sma-cross-reversal.json')).backtest(bars).metrics);
  });
});

describe('gauntlet backtest, human output', () => {
  it('shows the metrics table and an equity sparkline', async () => {
    const r = await gauntlet(['--spec', 'specs/rsi-reversion.json', '--symbol', 'AAPL']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^rsi-reversion on AAPL 1d: 1259 bars, 2013-02-08T00:00 → 2018-02-07T00:00/);
    for (const label of ['total return', 'CAGR', 'Sharpe', 'Sortino', 'max drawdown', 'trades', 'avg trade', 'win rate', 'profit factor', 'exposure']) {
      expect(r.out).toMatch(new RegExp(`^  ${label} +\\S`, 'm'));
    }
    const { metrics, result } = compile(loadSpec('rsi-reversion.json')).backtest(aapl);
    expect(r.out).toContain(`${(metrics.total_return * 100).toPrecision(3)}%`);
    expect(r.out).toMatch(new RegExp(`^  trades +${metrics.trades} \\(`, 'm'));
    const spark = /^ {2}equity ([▁▂▃▄▅▆▇█]+) {2}(\S+)$/m.exec(r.out);
    expect(spark).not.toBeNull();
    expect(spark![1]!.length).toBe(60);
    expect(spark![2]).toBe(String(Number(result.equity[result.equity.length - 1]!.toPrecision(4))));
    // The buy-and-hold line, computed here from the closes (first to last, running-peak drawdown), whole.
    const close = aapl.close;
    const total = close[close.length - 1]! / close[0]! - 1;
    let peak = close[0]!;
    let dd = 0;
    for (const c of close) { peak = Math.max(peak, c); dd = Math.max(dd, 1 - c / peak); }
    const years = (aapl.time[aapl.time.length - 1]! - aapl.time[0]!) / (365.25 * 86_400_000);
    const p3 = (x: number): string => `${(100 * x).toPrecision(3)}%`;
    expect(r.out).toContain(`\n  buy and hold   total return ${p3(total)}, CAGR ${p3((1 + total) ** (1 / years) - 1)}, max drawdown ${p3(dd)} (first close to last, no costs)\n`);
  });

  it('--help prints the usage and exits 0', async () => {
    const r = await gauntlet(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Usage: gauntlet backtest --spec FILE/);
  });
});

describe('gauntlet backtest: bad input exits 2 with the reason on stderr', () => {
  const fails = async (args: string[], pattern: RegExp | string, cwd?: string): Promise<string> => {
    const r = await gauntlet(args, cwd);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    if (typeof pattern === 'string') expect(r.err).toContain(pattern);
    else expect(r.err).toMatch(pattern);
    expect(r.err).not.toMatch(/^\s+at /m); // never a stack trace
    return r.err;
  };

  it('missing --spec', async () => {
    await fails(['--symbol', 'AAPL'], 'gauntlet backtest: --spec FILE is required');
  });

  it('both --data and --symbol, or neither', async () => {
    await fails(['--spec', 'specs/rsi-reversion.json', '--symbol', 'AAPL', '--data', 'x.csv'], 'give exactly one of --data CSV or --symbol SYM');
    await fails(['--spec', 'specs/rsi-reversion.json'], 'give exactly one of --data CSV or --symbol SYM');
  });

  it('an unknown symbol, with a suggestion', async () => {
    const err = await fails(['--spec', 'specs/rsi-reversion.json', '--symbol', 'AAPK'], 'unknown symbol "AAPK" in the bundled universe');
    expect(err).toMatch(/Did you mean [^?]*"AAPL"/);
    const lower = await fails(['--spec', 'specs/rsi-reversion.json', '--symbol', 'msft'], 'unknown symbol "msft"');
    expect(lower).toContain('Did you mean "MSFT"?');
  });

  it('a bad interval, and one the symbol does not have', async () => {
    await fails(['--spec', 'specs/rsi-reversion.json', '--symbol', 'AAPL', '--interval', '2h'], '--interval must be one of 1m 5m 15m 1h 4h 1d, got "2h"');
    await fails(['--spec', 'specs/rsi-reversion.json', '--symbol', 'SPX', '--interval', '1h'], 'SPX is not available at 1h; available: 1d');
  });

  it('a spec with a JSON syntax error: file, line and column', async () => {
    const dir = tempDir();
    // Line 4 is the "}" after a trailing comma: JSON wants another property name there, at column 1.
    writeFileSync(join(dir, 'bad.json'), '{\n  "schema": "gauntlet/spec@1",\n  "name": "x",\n}\n');
    await fails(['--spec', 'bad.json', '--symbol', 'AAPL'], /^bad\.json: not valid JSON at line 4, column 1: /, dir);
  });

  it('a spec the schema or the compiler refuses: the JSON path', async () => {
    const dir = tempDir();
    const s = JSON.parse(readFileSync(join(REPO, 'specs', 'rsi-reversion.json'), 'utf8'));
    s.params.lo.value = 99;
    writeFileSync(join(dir, 'range.json'), JSON.stringify(s));
    await fails(['--spec', 'range.json', '--symbol', 'AAPL'], 'range.json: params.lo.value: value 99 lies outside [5, 45]', dir);
    s.params.lo.value = 30;
    s.rules.long_exit = ['rsi', '>', 'bb'];
    writeFileSync(join(dir, 'output.json'), JSON.stringify(s));
    await fails(['--spec', 'output.json', '--symbol', 'AAPL'], 'rules.long_exit[2]: indicator "bb" (bbands) needs an output: bb.upper, bb.middle, bb.lower', dir);
    await fails(['--spec', 'missing.json', '--symbol', 'AAPL'], /missing\.json: cannot read the spec \(ENOENT\)/, dir);
  });

  it('a CSV with a bad row: file and line', async () => {
    const dir = tempDir();
    const rows = ['date,open,high,low,close,volume'];
    for (let d = 1; d <= 9; d++) rows.push(`2020-01-0${d},10,11,9,10.5,100`);
    rows[5] = '2020-01-05,10.5,9,10,11,0'; // line 6: high 9 below low 10
    writeFileSync(join(dir, 'bad.csv'), `${rows.join('\n')}\n`);
    const err = await fails(['--spec', join(REPO, 'specs/inside-bar.json'), '--data', 'bad.csv'], 'bad.csv:6: ', dir);
    expect(err).toMatch(/bad\.csv:6: [^\n]*high/);
  });

  it('--from after --to, and a range with no bars', async () => {
    await fails(['--spec', 'specs/rsi-reversion.json', '--symbol', 'AAPL', '--from', '2017-06-01', '--to', '2017-01-01'], /^no AAPL 1d bars between 2017-06-01 and 2017-01-01 23:59:59; the data covers 2013-02-08 \.\. 2018-02-07\n$/);
    await fails(['--spec', 'specs/rsi-reversion.json', '--symbol', 'AAPL', '--from', '2019-01-01'], /^no AAPL 1d bars between 2019-01-01/);
    await fails(['--spec', 'specs/rsi-reversion.json', '--symbol', 'AAPL', '--from', 'yesterday'], 'from: "yesterday" is not a date; use YYYY-MM-DD');
  });

  it('a range with one bar is too short to backtest', async () => {
    await fails(['--spec', 'specs/rsi-reversion.json', '--symbol', 'AAPL', '--from', '2017-06-01', '--to', '2017-06-01'], 'only 1 bar(s) in the selected range; a backtest needs at least 2');
  });

  it('unknown options', async () => {
    await fails(['--spec', 'specs/rsi-reversion.json', '--symbol', 'AAPL', '--bogus'], /gauntlet backtest: unknown option --bogus\n/);
    await fails(['--spec', 'specs/rsi-reversion.json', '--symbol', 'AAPL', '--intreval', '1d'], 'gauntlet backtest: unknown option --intreval; did you mean --interval?\nRun \'gauntlet backtest --help\' for usage.');
    await fails(['--spec'], 'gauntlet backtest: --spec needs a value\nRun \'gauntlet backtest --help\' for usage.');
  });
});

describe('gauntlet backtest data sources', () => {
  it('--repair on BHF drops the empty 2017-07-26 row and reports it on stderr; without it, the load refuses', async () => {
    // The line, found by a naive read of the gzip file (header = line 1).
    const lines = gunzipSync(readFileSync(join(REPO, 'data/sp500_daily_2013_2018/all_stocks_5yr.csv.gz'))).toString('utf8').split('\n');
    const line = lines.findIndex((l) => l.startsWith('2017-07-26,') && l.endsWith(',BHF')) + 1;
    expect(line).toBeGreaterThan(1);
    const file = 'data/sp500_daily_2013_2018/all_stocks_5yr.csv.gz';
    const strict = await gauntlet(['--spec', 'specs/inside-bar.json', '--symbol', 'BHF', '--json']);
    expect(strict.code).toBe(2);
    expect(strict.err).toContain(`${file}:${line}: BHF: open is empty`);
    const r = await gauntlet(['--spec', 'specs/inside-bar.json', '--symbol', 'BHF', '--repair', '--json']);
    expect(r.code).toBe(0);
    expect(r.err).toBe(`--repair changed 1 row(s):\n  ${file}:${line}: BHF: open is empty; high is empty; low is empty — dropped\n`);
    const o = JSON.parse(r.out);
    const bhfRows = lines.filter((l) => l.endsWith(',BHF'));
    expect(o.bars).toBe(bhfRows.length - 1);
    expect(o.trades.some((t: { entry_time: string }) => t.entry_time.startsWith('2017-07-26'))).toBe(false);
  });

  it('--data reads a Yahoo-format CSV (Close, not Adj Close) and matches the same bars run directly', async () => {
    const dir = tempDir();
    // 2017 AAPL daily rows rewritten as a Yahoo download; Adj Close deliberately different, to show it is ignored.
    const from = aapl.time.findIndex((t) => t >= Date.parse('2017-01-01'));
    const to = aapl.time.findIndex((t) => t >= Date.parse('2018-01-01'));
    const lines = ['Date,Open,High,Low,Close,Adj Close,Volume'];
    for (let i = from; i < to; i++) {
      lines.push([new Date(aapl.time[i]!).toISOString().slice(0, 10), aapl.open[i], aapl.high[i], aapl.low[i], aapl.close[i], aapl.close[i]! * 0.97, aapl.volume[i]].join(','));
    }
    writeFileSync(join(dir, 'aapl-yahoo.csv'), `${lines.join('\n')}\n`);
    const r = await gauntlet(['--spec', join(REPO, 'specs/sma-cross-reversal.json'), '--data', 'aapl-yahoo.csv', '--json'], dir);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const o = JSON.parse(r.out);
    expect([o.symbol, o.interval, o.bars, o.start, o.end]).toEqual(['aapl-yahoo', '1d', to - from, '2017-01-03T00:00:00.000Z', '2017-12-29T00:00:00.000Z']);
    const slice: Bars = {
      symbol: 'aapl-yahoo', interval: '1d',
      time: aapl.time.slice(from, to), open: aapl.open.slice(from, to), high: aapl.high.slice(from, to),
      low: aapl.low.slice(from, to), close: aapl.close.slice(from, to), volume: aapl.volume.slice(from, to),
    };
    const { metrics, result } = compile(loadSpec('sma-cross-reversal.json')).backtest(slice);
    expect(o.metrics).toEqual(metrics);
    expect(o.trades.map((t: { entry_price: number }) => t.entry_price)).toEqual(result.trades.map((t) => t.entryPrice));
    expect(result.trades.length).toBeGreaterThan(0);
  });
});

describe('gauntlet backtest --fees / --slippage', () => {
  it('replace the spec\'s costs: the run equals the spec with those costs, computed here', async () => {
    const r = await gauntlet(['--spec', 'specs/rsi-reversion.json', '--symbol', 'AAPL', '--fees', '7', '--slippage', '3', '--json']);
    expect(r.code).toBe(0);
    const o = JSON.parse(r.out) as { costs: unknown; metrics: unknown };
    const spec = loadSpec('rsi-reversion.json');
    expect(o.costs).toEqual({ fees_bps: 7, slippage_bps: 3 });
    expect(o.metrics).toEqual(compile({ ...spec, execution: { fees_bps: 7, slippage_bps: 3 } }).backtest(aapl).metrics);
  });

  it('the human report prints net and gross side by side, and the costs', async () => {
    const r = await gauntlet(['--spec', 'specs/rsi-reversion.json', '--symbol', 'AAPL', '--fees', '10']);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[1]).toBe('costs: fees 10 bps + slippage 0 bps per fill');
    const spec = loadSpec('rsi-reversion.json');
    const net = compile({ ...spec, execution: { fees_bps: 10, slippage_bps: 0 } }).backtest(aapl).metrics;
    const gross = compile({ ...spec, execution: { fees_bps: 0, slippage_bps: 0 } }).backtest(aapl).metrics;
    // Three significant digits (src/core/format/numbers.ts), for the 0.1–999 % these runs have.
    const pct = (x: number): string => `${(100 * x).toPrecision(3)}%`;
    expect(lines.find((l) => l.trim().startsWith('total return'))!.trim().split(/\s{2,}/)).toEqual(['total return', pct(net.total_return), pct(gross.total_return)]);
    expect(lines.some((l) => /^\s+net\s+gross$/.test(l))).toBe(true);
  });

  it('bad values are refused with the flag named and exit 2', async () => {
    for (const [args, msg] of [
      [['--fees', '-1'], 'gauntlet backtest: --fees must be basis points per fill, a number from 0 to 1000, got "-1"'],
      [['--fees', 'abc'], 'gauntlet backtest: --fees must be basis points per fill, a number from 0 to 1000, got "abc"'],
      [['--slippage', '1001'], 'gauntlet backtest: --slippage must be basis points per fill, a number from 0 to 1000, got "1001"'],
      [['--fees', 'Infinity'], 'gauntlet backtest: --fees must be basis points per fill, a number from 0 to 1000, got "Infinity"'],
      // The flag last, with nothing after it.
      [['--fees'], 'gauntlet backtest: --fees needs a value\nRun \'gauntlet backtest --help\' for usage.'],
    ] as const) {
      const r = await gauntlet(['--spec', 'specs/rsi-reversion.json', '--symbol', 'AAPL', ...args]);
      expect(r.code).toBe(2);
      expect(r.err).toBe(`${msg}\n`);
      expect(r.out).toBe('');
    }
  });
});

describe('gauntlet backtest: the trades table', () => {
  it('--trades N lists the last N trades; the default is 10, 0 lists none', async () => {
    const spec = loadSpec('rsi-reversion.json');
    const { result } = compile(spec).backtest(aapl);
    const all = result.trades;
    const r = await gauntlet(['--spec', 'specs/rsi-reversion.json', '--symbol', 'AAPL', '--trades', '3']);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    const at = lines.indexOf(`last 3 of ${all.length} trades:`);
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]!.trim().split(/\s+/)).toEqual(['side', 'entry', 'price', 'exit', 'price', 'return', 'reason']);
    const rows = lines.slice(at + 2, at + 5).map((l) => l.trim().split(/\s{2,}/));
    expect(rows.map((x) => [x[0], x[1], x[6]])).toEqual(all.slice(-3).map((t) => [t.side, new Date(t.entryTime).toISOString().slice(0, 16).replace('T', ' '), t.exitReason]));
    expect(rows.map((x) => x[5])).toEqual(all.slice(-3).map((t) => `${(100 * t.return).toPrecision(3)}%`));
    const none = await gauntlet(['--spec', 'specs/rsi-reversion.json', '--symbol', 'AAPL', '--trades', '0']);
    expect(none.out).not.toMatch(/trades:\n/);
    const bad = await gauntlet(['--spec', 'specs/rsi-reversion.json', '--symbol', 'AAPL', '--trades', 'x']);
    expect(bad).toMatchObject({ code: 2, out: '', err: 'gauntlet backtest: --trades must be an integer ≥ 0, got "x"\n' });
  });
});

describe('gauntlet backtest: short spans and no trades', () => {
  it('a CAGR from under a year of bars says it is annualised from N days; no trades is not "no losing trade"', async () => {
    // January 2014 on AAPL: rsi(14) never crosses its levels there, so there is no trade at all.
    const spec = loadSpec('rsi-reversion.json');
    const { metrics } = compile(spec).backtest(aapl);
    expect(metrics.trades).toBeGreaterThan(0); // the whole series trades; the window below does not
    const r = await gauntlet(['--spec', 'specs/rsi-reversion.json', '--symbol', 'AAPL', '--from', '2014-01-01', '--to', '2014-01-31']);
    expect(r.code).toBe(0);
    const row = (name: string): string[] => r.out.split('\n').find((l) => l.trim().startsWith(name))!.trim().split(/\s{2,}/);
    expect(row('trades')).toEqual(['trades', '0 (0.00/yr; exits: none)']);
    // 2014-01-02 … 2014-01-31: 29 days between the first and the last bar.
    expect(row('CAGR')).toEqual(['CAGR', '0.00%', '0.00% (annualised from 29 days)']);
    expect(row('profit factor')).toEqual(['profit factor', 'n/a (no trades)', 'n/a (no trades)']);
  });
});

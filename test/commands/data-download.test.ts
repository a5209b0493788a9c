/**
 * `gauntlet data download` against a fake market server on 127.0.0.1 (test/support/fake-market-server.ts)
 * that serves yahoo-finance2's and ccxt's requests in their services' shapes, with real bundled bars.
 * No test touches the internet: the libraries' URLs are rewritten to the local server (--base-url).
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UniverseFileSchema } from '../../src/core/universe.ts';
import { sliceBars, type Bars } from '../../src/engine/data/bars.ts';
import { loadBundledUniverse, loadUniverseDir } from '../../src/engine/data/universe.ts';
import { recentBars, startFakeMarket, type FakeMarket } from '../support/fake-market-server.ts';
import { closedPortUrl } from '../support/fake-ollama.ts';
import { inproc, startCli, workspace } from '../research/helpers.ts';

const ws = workspace('data-download');
const at = (...p: string[]): string => join(ws.dir, ...p);
let aapl: Bars;
let msft: Bars;
let btc: Bars;
let aapl1m: Bars;
let aapl5m: Bars;
let aapl1h: Bars;
let market: FakeMarket;

const BTC_BARS = 2600;

beforeAll(async () => {
  const u = loadBundledUniverse(undefined, { env: ws.env });
  aapl = u.loadBars('AAPL', '1d').bars;
  msft = u.loadBars('MSFT', '1d').bars;
  btc = sliceBars(u.loadBars('BTCUSD', '1m').bars, 0, BTC_BARS);
  aapl1m = recentBars(u.loadBars('AAPL', '1m').bars);
  aapl5m = recentBars(u.loadBars('AAPL', '5m').bars);
  aapl1h = recentBars(u.loadBars('AAPL', '1h').bars);
  market = await startFakeMarket({
    yahoo: { AAPL: aapl, MSFT: msft }, yahooIntraday: { AAPL: aapl1m }, yahooByInterval: { '5m': { AAPL: aapl5m }, '1h': { AAPL: aapl1h } }, binance: { BTCUSDT: { base: 'BTC', quote: 'USDT', bars: btc } } });
}, 60_000);
afterAll(async () => { await market.close(); ws.cleanup(); });

const env = (): Record<string, string> => ({ ...ws.env, GAUNTLET_DOWNLOAD_BASE_URL: market.url });
const day = (t: number): string => new Date(t).toISOString().slice(0, 10);

describe('data download: Yahoo Finance (yahoo-finance2)', () => {
  it('daily bars of two symbols become a universe equal to the served bars', async () => {
    const r = await inproc(['data', 'download', '--provider', 'yahoo', '--symbols', 'AAPL,MSFT', '--interval', '1d', '--from', '2013-01-01', '--to', '2018-03-01', '--out', at('yh')], env());
    expect(r.stderr).toContain('AAPL 1d');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`AAPL 1d: 1,259 new bars in 1 page; 1,259 bars ${day(aapl.time[0]!)} .. ${day(aapl.time[aapl.time.length - 1]!)} in AAPL_1d.csv`);
    const u = loadUniverseDir(at('yh'), { env: ws.env });
    const got = u.loadBars('AAPL', '1d').bars;
    expect([...got.time]).toEqual([...aapl.time]);
    expect([...got.close]).toEqual([...aapl.close]);
    expect([...got.volume]).toEqual([...aapl.volume]);
    const json = UniverseFileSchema.parse(JSON.parse(readFileSync(at('yh', 'universe.json'), 'utf8')));
    expect(json.symbols.AAPL).toMatchObject({ sector: 'Information Technology', market_type: 'equities', files: { '1d': 'AAPL_1d.csv' }, source: 'yahoo AAPL' });
  }, 60_000);

  it('--adjusted: open, high, low and close × Adj Close / Close (the fake serves Adj Close = Close / 2)', async () => {
    const r = await inproc(['data', 'download', '--provider', 'yahoo', '--symbols', 'AAPL', '--from', '2013-01-01', '--to', '2014-01-01', '--adjusted', '--out', at('yadj')], env());
    expect(r.code).toBe(0);
    const got = loadUniverseDir(at('yadj'), { env: ws.env }).loadBars('AAPL', '1d').bars;
    expect([...got.open]).toEqual([...aapl.open.subarray(0, got.time.length)].map((x) => x * 0.5));
    expect([...got.close]).toEqual([...aapl.close.subarray(0, got.time.length)].map((x) => x * 0.5));
  }, 60_000);

  it('1m bars (the last 30 days) are paged at Yahoo\'s 7 days a request', async () => {
    const before = market.log.length;
    // 25 to 15 days ago: inside Yahoo's 30 days and inside the served bars (which end 2 to 9 days ago, 28 days long).
    const fromDay = day(Date.now() - 25 * 86_400_000);
    const toDay = day(Date.parse(`${fromDay}T00:00:00Z`) + 10 * 86_400_000);
    const r = await inproc(['data', 'download', '--provider', 'yahoo', '--symbols', 'AAPL', '--interval', '1m', '--from', fromDay, '--to', toDay, '--out', at('y1m')], env());
    expect(r.code).toBe(0);
    const asked = market.log.slice(before).filter((e) => e.path.startsWith('/v8/finance/chart/'));
    expect(asked.map((e) => [e.query.get('interval'), Number(e.query.get('period2')) - Number(e.query.get('period1'))])).toEqual([['1m', 7 * 86_400], ['1m', 3 * 86_400]]);
    const want = [...aapl1m.time].filter((t) => t >= Date.parse(`${fromDay}T00:00:00Z`) && t < Date.parse(`${toDay}T00:00:00Z`));
    const got = loadUniverseDir(at('y1m'), { env: ws.env }).loadBars('AAPL', '1m').bars;
    expect([...got.time]).toEqual(want);
    expect(r.stdout).toContain(`AAPL 1m: ${want.length.toLocaleString('en-US')} new bars in 2 pages;`);
  }, 60_000);

  for (const [interval, bars, span] of [['5m', () => aapl5m, 59], ['1h', () => aapl1h, 729]] as const) {
    it(`${interval} bars: asked as ${interval} in one request of at most ${span} days, stored bar for bar as served`, async () => {
      const b = bars();
      const before = market.log.length;
      const fromDay = day(b.time[0]!);
      const toDay = day(b.time[b.time.length - 1]! + 86_400_000);
      const r = await inproc(['data', 'download', '--provider', 'yahoo', '--symbols', 'AAPL', '--interval', interval, '--from', fromDay, '--to', toDay, '--out', at(`y${interval}`)], env());
      expect(r.stderr.split('\n').filter((l) => !l.includes('█') && !l.includes('░') && l !== '')).toEqual([]);
      expect(r.code).toBe(0);
      const asked = market.log.slice(before).filter((e) => e.path.startsWith('/v8/finance/chart/'));
      const seconds = (Date.parse(`${toDay}T00:00:00Z`) - Date.parse(`${fromDay}T00:00:00Z`)) / 1000;
      expect(asked.map((e) => [e.query.get('interval'), Number(e.query.get('period2')) - Number(e.query.get('period1'))])).toEqual([[interval, seconds]]);
      expect(seconds).toBeLessThanOrEqual(span * 86_400);
      const got = loadUniverseDir(at(`y${interval}`), { env: ws.env }).loadBars('AAPL', interval).bars;
      expect([...got.time]).toEqual([...b.time]);
      expect([...got.open]).toEqual([...b.open]);
      expect([...got.close]).toEqual([...b.close]);
      expect([...got.volume]).toEqual([...b.volume]);
      expect(r.stdout).toContain(`AAPL ${interval}: ${b.time.length.toLocaleString('en-US')} new bars in 1 page;`);
    }, 60_000);
  }

  // Yahoo's range limits (1m: 30 days back, 5m–30m: 60, 1h: 730), refused before any request, nothing written.
  for (const [interval, back] of [['1m', 30], ['5m', 60], ['15m', 60], ['1h', 730]] as const) {
    it(`${interval} from further back than ${back} days: refused before any request, exit 2, nothing written`, async () => {
      const before = market.log.length;
      const DAY = 86_400_000;
      const from = day(Date.now() - (back + 5) * DAY);
      // The first day Yahoo serves: back days ago, rounded up to a midnight, plus one day (computed here independently).
      const first = day(Math.ceil((Date.now() - back * DAY) / DAY) * DAY + DAY);
      const r = await inproc(['data', 'download', '--provider', 'yahoo', '--symbols', 'AAPL', '--interval', interval, '--from', from, '--out', at(`old${interval}`)], env());
      expect(r.code).toBe(2);
      expect(r.stderr.split('\n').filter((l) => !l.includes('█') && !l.includes('░') && l !== '')).toEqual([
        `Yahoo Finance serves ${interval} bars for the last ${back} days only: AAPL ${interval} from ${from} is further back than that. Use --from ${first} or later, or bring older bars as files with 'gauntlet data import'`,
      ]);
      expect(market.log.length).toBe(before);
      expect(existsSync(at(`old${interval}`))).toBe(false);
    }, 30_000);
  }
});

/** The served BTC bars as CSV rows, as the downloader writes them, for an exact comparison. */
function servedRows(b: Bars, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${new Date(b.time[i]!).toISOString().slice(0, 19)}Z,${b.open[i]},${b.high[i]},${b.low[i]},${b.close[i]},${b.volume[i]}`);
}
const rowsOf = (path: string): string[] => readFileSync(path, 'utf8').trimEnd().split('\n').slice(1);
const iso = (t: number): string => new Date(t).toISOString().slice(0, 16).replace('T', ' ');

describe('data download: crypto through ccxt (binance)', () => {
  const from = (): string => day(btc.time[0]!);

  it('minute bars, paged by time at --limit, spaced by ccxt\'s rate limiter', async () => {
    const before = market.klines().length;
    const all = market.log.length;
    const to = iso(btc.time[1200]!); // [from, to): the first 1,200 bars
    const r = await inproc(['data', 'download', '--provider', 'ccxt', '--exchange', 'binance', '--symbols', 'BTC/USDT', '--interval', '1m', '--from', from(), '--to', to, '--limit', '500', '--rate-limit', '200', '--out', at('cx')], env());
    expect(r.code).toBe(0);
    // Bars before the first served one are simply absent: the range starts at midnight, the data later.
    expect(rowsOf(at('cx', 'BTC-USDT_1m.csv'))).toEqual(servedRows(btc, 1200));
    const pages = market.klines().slice(before);
    // Paging: 500 + 500 + 200, each request starting one minute after the last bar it had.
    expect(pages.map((p) => [p.query.get('limit'), Number(p.query.get('startTime'))])).toEqual([
      ['500', Date.parse(`${from()}T00:00:00Z`)], ['500', btc.time[500]! ], ['500', btc.time[1000]!],
    ]);
    expect(r.stdout).toContain('BTC-USDT 1m: 1,200 new bars in 3 pages;');
    // ccxt's limiter spaces the kline requests (the fake answers at once): its binance table charges spot
    // klines 0.4 of rateLimit, so 0.4 × 200 ms = 80 ms at least (less 5 ms of timer granularity).
    const gaps = pages.slice(1).map((p, i) => p.at - pages[i]!.at);
    console.log(`kline request gaps at --rate-limit 200: ${gaps.join(', ')} ms`);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(75);
    expect(market.log.slice(all).some((e) => e.path === '/api/v3/exchangeInfo')).toBe(true);
    const u = UniverseFileSchema.parse(JSON.parse(readFileSync(at('cx', 'universe.json'), 'utf8')));
    expect(u.symbols['BTC-USDT']).toMatchObject({ sector: 'Crypto', market_type: 'crypto', files: { '1m': 'BTC-USDT_1m.csv' }, source: 'ccxt:binance BTC/USDT' });
  }, 60_000);

  it('incremental: a later --to fetches only the new bars; a 429 on the way is waited out', async () => {
    const before = market.klines().length;
    const slow = await startFakeMarket({ binance: { BTCUSDT: { base: 'BTC', quote: 'USDT', bars: btc } }, tooManyAt: [1] });
    try {
      const r = await inproc(['data', 'download', '--provider', 'ccxt', '--exchange', 'binance', '--symbols', 'BTC/USDT', '--interval', '1m', '--from', from(), '--to', iso(btc.time[1700]!), '--limit', '500', '--out', at('cx')],
        { ...ws.env, GAUNTLET_DOWNLOAD_BASE_URL: slow.url });
      expect(r.code).toBe(0);
      expect(r.stderr).toContain('binance says too many requests: waiting 1.0 s (retry 1 of 5)');
      const served = slow.klines();
      // First kline request after the 429: one minute after the 1,200 bars already held.
      expect(served.map((p) => Number(p.query.get('startTime')))).toEqual([btc.time[1200]!]);
      // The refused request asked for the same start: nothing skipped, nothing fetched twice.
      expect(slow.log.filter((e) => e.status === 429).map((e) => Number(e.query.get('startTime')))).toEqual([btc.time[1200]!]);
      expect(r.stdout).toContain('BTC-USDT 1m: 500 new bars in 1 page; 1,700 bars');
      expect(rowsOf(at('cx', 'BTC-USDT_1m.csv'))).toEqual(servedRows(btc, 1700));
      expect(market.klines().length).toBe(before);
    } finally {
      await slow.close();
    }
  }, 60_000);
});

describe('data download: resumed after a killed process', () => {
  it('SIGKILL mid-download, then the same command: every bar once, none lost, fetching from where it stopped', async () => {
    const slow = await startFakeMarket({ binance: { BTCUSDT: { base: 'BTC', quote: 'USDT', bars: btc } }, delayMs: 150 });
    const args = ['data', 'download', '--provider', 'ccxt', '--exchange', 'binance', '--symbols', 'BTC/USDT', '--interval', '1m',
      '--from', day(btc.time[0]!), '--to', iso(btc.time[2400]!), '--limit', '200', '--out', at('kill')];
    try {
      const child = startCli(args, { ...ws.env, GAUNTLET_DOWNLOAD_BASE_URL: slow.url });
      // Killed once four pages have been served (the fifth is in flight or being written).
      while (slow.klines().length < 4) await new Promise((r) => setTimeout(r, 20));
      child.proc.kill('SIGKILL');
      const killed = await child.exited;
      expect(killed.signal).toBe('SIGKILL');
      const part = at('kill', '.download', 'BTC-USDT_1m.csv.part');
      const saved = rowsOf(part);
      expect(saved.length).toBeGreaterThanOrEqual(600);
      expect(saved).toEqual(servedRows(btc, saved.length)); // what was saved is exactly the first bars
      expect(existsSync(at('kill', 'BTC-USDT_1m.csv'))).toBe(false);
      expect(existsSync(at('kill', 'universe.json'))).toBe(false);
      // A write torn by the kill: half a row without its newline.
      appendFileSync(part, '2016-02-1');
      const servedBefore = slow.klines().length;

      const r = await inproc(args, { ...ws.env, GAUNTLET_DOWNLOAD_BASE_URL: slow.url });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`BTC-USDT 1m: ${(2400 - saved.length).toLocaleString('en-US')} new bars in`);
      expect(r.stdout).toContain('(resumed an interrupted download)');
      expect(rowsOf(at('kill', 'BTC-USDT_1m.csv'))).toEqual(servedRows(btc, 2400));
      // The resumed run asked from one minute after the last saved row.
      expect(Number(slow.klines()[servedBefore]!.query.get('startTime'))).toBe(btc.time[saved.length - 1]! + 60_000);
      expect(existsSync(part)).toBe(false);
      expect(loadUniverseDir(at('kill'), { env: ws.env }).loadBars('BTC-USDT', '1m').bars.time.length).toBe(2400);
    } finally {
      await slow.close();
    }
  }, 60_000);
});

describe('data download: offline', () => {
  for (const provider of [['yahoo'], ['ccxt', '--exchange', 'binance']]) {
    it(`${provider[0]}: "no network: use data import", exit 2, nothing written`, async () => {
      const out = `off-${provider[0]}`;
      const r = await inproc(['data', 'download', '--provider', ...provider, '--symbols', provider[0] === 'yahoo' ? 'AAPL' : 'BTC/USDT', '--from', '2016-01-01', '--to', '2016-02-01', '--out', at(out)],
        { ...ws.env, GAUNTLET_DOWNLOAD_BASE_URL: await closedPortUrl() });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      const who = provider[0] === 'yahoo' ? 'Yahoo Finance' : 'binance';
      expect(r.stderr.split('\n').filter((l) => !l.includes('█') && !l.includes('░') && l !== '')).toEqual([
        `no network: use data import. ${who} cannot be reached (ECONNREFUSED); downloading needs network, while 'gauntlet data import FILES --out DIR' works offline on files you have`,
      ]);
      expect(existsSync(at(out))).toBe(false);
    }, 30_000);
  }
});

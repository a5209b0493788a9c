/**
 * A fake market-data server on 127.0.0.1 for `data download` tests: it answers the requests that
 * yahoo-finance2 3.x and ccxt's binance build, in the shapes those services return, with real bars from
 * the bundled data. The libraries keep their own URLs; the client rewrites `https://HOST/path` to
 * `<this server>/HOST/path` (see engine/data/download/provider.ts), so the first path part names the host.
 *
 * Shapes (recorded from the services' documented responses):
 * - Yahoo  GET /query2.finance.yahoo.com/v8/finance/chart/SYMBOL?period1=S&period2=S&interval=1d…
 *   → {chart: {result: [{meta, timestamp: [s…], indicators: {quote: [{open, high, low, close, volume}],
 *   adjclose: [{adjclose}]}}], error: null}}; daily bars stamped at the 09:30 New York open (14:30 UTC),
 *   meta.gmtoffset −18000. An unknown symbol: 404 {chart: {result: null, error: {code: "Not Found", …}}}.
 * - Binance GET /api.binance.com/api/v3/exchangeInfo (spot, one market per served symbol),
 *   /fapi.binance.com/fapi/v1/exchangeInfo and /dapi.binance.com/dapi/v1/exchangeInfo (no markets),
 *   GET /api.binance.com/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=MS&limit=N
 *   → [[openTime, "open", "high", "low", "close", "volume", closeTime, "quoteVolume", trades, "takerBase", "takerQuote", "0"], …]
 *   at most `limit` (capped at 1000, as Binance does) bars from startTime on.
 * Every request is logged with its arrival time; `tooManyAt` answers the listed kline requests (1-based)
 * with 429 {"code":-1003,"msg":"Too many requests"} once each; `delayMs` slows every kline answer.
 */
import { createServer, type Server } from 'node:http';
import type { Bars } from '../../src/engine/data/bars.ts';

export interface LoggedRequest { host: string; path: string; query: URLSearchParams; at: number; status: number }

export interface FakeMarket {
  url: string;
  log: LoggedRequest[];
  /** Kline requests answered with bars, in order. */
  klines(): LoggedRequest[];
  close(): Promise<void>;
}

export interface FakeMarketOptions {
  /** Yahoo symbol → daily bars (UTC-midnight times), served at the 1d interval. */
  yahoo?: Record<string, Bars>;
  /** Yahoo symbol → intraday bars (bar-start times), served at any other interval. */
  yahooIntraday?: Record<string, Bars>;
  /** Yahoo interval name (5m, 1h …) → symbol → bars: served at that interval before `yahooIntraday`. */
  yahooByInterval?: Record<string, Record<string, Bars>>;
  /** Binance market (BTCUSDT) → [base, quote, 1m bars]; with `byInterval` (Binance's names: 1h, 4h …), those bars at those intervals and none at others. */
  binance?: Record<string, { base: string; quote: string; bars: Bars; byInterval?: Record<string, Bars> }>;
  delayMs?: number;
  tooManyAt?: number[];
}

const OPEN_UTC = 14.5 * 3_600_000;
const WEEK = 7 * 86_400_000;

/**
 * Yahoo serves intraday bars for a recent window only (1m 30 days, 5m–30m 60, 1h 730), so bundled 2016 bars
 * are served moved forward by whole weeks (weekdays and times of day kept) to end at least two days ago.
 */
export function recentBars(b: Bars): Bars {
  const shift = Math.floor((Date.now() - 2 * 86_400_000 - b.time[b.time.length - 1]!) / WEEK) * WEEK;
  return { ...b, time: b.time.map((t) => t + shift) };
}

function chart(symbol: string, b: Bars, p1: number, p2: number, daily: boolean, interval: string): unknown {
  const shift = daily ? OPEN_UTC : 0;
  const idx: number[] = [];
  for (let i = 0; i < b.time.length; i++) {
    const ts = (b.time[i]! + shift) / 1000;
    if (ts >= p1 && ts < p2) idx.push(i);
  }
  const period = (start: number, end: number) => ({ timezone: 'EST', start, end, gmtoffset: -18000 });
  const last = b.time.length - 1;
  return {
    chart: {
      result: [{
        meta: {
          currency: 'USD', symbol, exchangeName: 'NMS', fullExchangeName: 'NasdaqGS', instrumentType: 'EQUITY',
          firstTradeDate: (b.time[0]! + OPEN_UTC) / 1000, regularMarketTime: (b.time[last]! + 72_000_000) / 1000,
          hasPrePostMarketData: true, gmtoffset: -18000, timezone: 'EST', exchangeTimezoneName: 'America/New_York',
          regularMarketPrice: b.close[last], chartPreviousClose: b.close[0], priceHint: 2,
          currentTradingPeriod: { pre: period(1, 2), regular: period(2, 3), post: period(3, 4) },
          dataGranularity: interval, range: '', validRanges: ['1d', '5d', '1mo', '3mo', '6mo', '1y', '2y', '5y', '10y', 'ytd', 'max'],
        },
        timestamp: idx.map((i) => (b.time[i]! + shift) / 1000),
        events: {},
        indicators: {
          quote: [{
            open: idx.map((i) => b.open[i]), high: idx.map((i) => b.high[i]), low: idx.map((i) => b.low[i]),
            close: idx.map((i) => b.close[i]), volume: idx.map((i) => b.volume[i]),
          }],
          // Intraday answers carry no adjclose (Yahoo adjusts daily bars only).
          ...(daily ? { adjclose: [{ adjclose: idx.map((i) => b.close[i]! * 0.5) }] } : {}),
        },
      }],
      error: null,
    },
  };
}

function spotMarket(symbol: string, base: string, quote: string): unknown {
  return {
    symbol, status: 'TRADING', baseAsset: base, baseAssetPrecision: 8, quoteAsset: quote, quotePrecision: 8, quoteAssetPrecision: 8,
    baseCommissionPrecision: 8, quoteCommissionPrecision: 8,
    orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT_LIMIT'],
    icebergAllowed: true, ocoAllowed: true, otoAllowed: true, quoteOrderQtyMarketAllowed: true, allowTrailingStop: true, cancelReplaceAllowed: true,
    isSpotTradingAllowed: true, isMarginTradingAllowed: true,
    filters: [
      { filterType: 'PRICE_FILTER', minPrice: '0.01000000', maxPrice: '1000000.00000000', tickSize: '0.01000000' },
      { filterType: 'LOT_SIZE', minQty: '0.00001000', maxQty: '9000.00000000', stepSize: '0.00001000' },
    ],
    permissions: [], permissionSets: [['SPOT', 'MARGIN']],
    defaultSelfTradePreventionMode: 'EXPIRE_MAKER', allowedSelfTradePreventionModes: ['EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH'],
  };
}

export async function startFakeMarket(opts: FakeMarketOptions = {}): Promise<FakeMarket> {
  const log: LoggedRequest[] = [];
  let klineCount = 0;
  const tooMany = new Set(opts.tooManyAt ?? []);
  const server: Server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const [, host = '', ...rest] = u.pathname.split('/');
    const path = `/${rest.join('/')}`;
    const entry: LoggedRequest = { host, path, query: u.searchParams, at: Date.now(), status: 200 };
    log.push(entry);
    const send = (status: number, body: unknown): void => {
      entry.status = status;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (host === 'query2.finance.yahoo.com' && path.startsWith('/v8/finance/chart/')) {
      const symbol = decodeURIComponent(path.slice('/v8/finance/chart/'.length));
      const interval = u.searchParams.get('interval') ?? '1d';
      const daily = interval === '1d';
      const bars = (daily ? opts.yahoo : opts.yahooByInterval?.[interval] ?? opts.yahooIntraday)?.[symbol];
      if (bars === undefined) { send(404, { chart: { result: null, error: { code: 'Not Found', description: 'No data found, symbol may be delisted' } } }); return; }
      send(200, chart(symbol, bars, Number(u.searchParams.get('period1')), Number(u.searchParams.get('period2')), daily, interval));
      return;
    }
    if (path.endsWith('/exchangeInfo')) {
      const symbols = host === 'api.binance.com' ? Object.entries(opts.binance ?? {}).map(([s, m]) => spotMarket(s, m.base, m.quote)) : [];
      send(200, { timezone: 'UTC', serverTime: Date.now(), rateLimits: [], exchangeFilters: [], symbols });
      return;
    }
    if (host === 'api.binance.com' && path === '/api/v3/klines') {
      klineCount++;
      if (tooMany.has(klineCount)) { tooMany.delete(klineCount); send(429, { code: -1003, msg: 'Too many requests; current limit of IP is 6000 request weight per 1 MINUTE.' }); return; }
      const m = opts.binance?.[u.searchParams.get('symbol') ?? ''];
      if (m === undefined) { send(400, { code: -1121, msg: 'Invalid symbol.' }); return; }
      const start = Number(u.searchParams.get('startTime') ?? 0);
      const limit = Math.min(1000, Number(u.searchParams.get('limit') ?? 500));
      // With bars by interval, an interval not among them has no bars (an empty answer, as for a range with none).
      const b = m.byInterval === undefined ? m.bars : m.byInterval[u.searchParams.get('interval') ?? '1m'] ?? { ...m.bars, time: new Float64Array(0) };
      const rows: unknown[] = [];
      for (let i = 0; i < b.time.length && rows.length < limit; i++) {
        const t = b.time[i]!;
        if (t < start) continue;
        const step = b.time.length > 1 ? b.time[1]! - b.time[0]! : 60_000;
        rows.push([t, String(b.open[i]), String(b.high[i]), String(b.low[i]), String(b.close[i]), String(b.volume[i]), t + step - 1, '0', 1, '0', '0', '0']);
      }
      setTimeout(() => send(200, rows), opts.delayMs ?? 0);
      return;
    }
    send(404, { code: -1, msg: `the fake market does not serve ${host}${path}` });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const addr = server.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    klines: () => log.filter((e) => e.path === '/api/v3/klines' && e.status === 200),
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

/**
 * Crypto through ccxt: OHLCV from the exchange the user names, `limit` bars a request, paged by time.
 * ccxt builds every URL from its `urls.api` table and spaces requests by its own rate limiter
 * (`enableRateLimit`, the exchange's `rateLimit` and each endpoint's cost); we never pace requests
 * ourselves except after the exchange says "too many" (HTTP 429: ccxt's RateLimitExceeded), where we wait
 * and retry. A base URL (tests, mirrors) rewrites each `urls.api` entry, host kept as the first path part.
 *
 * Universe symbols cannot hold "/" or ":": BTC/USDT is stored as BTC-USDT (BTC/USDT:USDT as BTC-USDT-USDT).
 */
import ccxt, { type Exchange } from 'ccxt';
import { UserError } from '../../../core/errors.ts';
import { INTERVAL_MS } from '../../../core/intervals.ts';
import { networkCode, offlineError } from './network.ts';
import { rewriteUrl, type Page, type Provider } from './provider.ts';
import { formatNumber } from '../../../core/format/numbers.ts';

export function universeSymbolOf(market: string): string {
  return market.replace(/[/:]/g, '-');
}

function rewriteAll(v: unknown, base: string): unknown {
  if (typeof v === 'string') return rewriteUrl(v, base);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, rewriteAll(x, base)]));
  return v;
}

export interface CcxtOptions {
  readonly exchange: string;
  readonly baseUrl?: string | undefined;
  /** Bars per request (the exchange's own maximum applies too). */
  readonly limit: number;
  /** Milliseconds between requests for ccxt's limiter, when gentler than the exchange's own setting. */
  readonly rateLimitMs?: number | undefined;
  /** Said when the exchange rate-limits us (how long we wait, which retry). */
  readonly onWait?: (text: string) => void;
  readonly sleep?: (ms: number) => Promise<void>;
}

const MAX_RETRIES = 5;

export function ccxtProvider(opts: CcxtOptions): Provider {
  const Ctor = (ccxt as unknown as Record<string, (new (config: object) => Exchange) | undefined>)[opts.exchange];
  if (!ccxt.exchanges.includes(opts.exchange) || Ctor === undefined) {
    const near = ccxt.exchanges.filter((x: string) => x.startsWith(opts.exchange.slice(0, 3))).slice(0, 5);
    throw new UserError(`--exchange ${opts.exchange}: not an exchange ccxt knows${near.length > 0 ? `; did you mean ${near.join(', ')}?` : ''} (ccxt lists ${ccxt.exchanges.length})`);
  }
  const ex = new Ctor({ enableRateLimit: true, ...(opts.rateLimitMs === undefined ? {} : { rateLimit: opts.rateLimitMs }) });
  if (opts.baseUrl !== undefined) ex.urls.api = rewriteAll(ex.urls.api, opts.baseUrl) as typeof ex.urls.api;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const name = `ccxt:${opts.exchange}`;
  const bySymbol = new Map<string, string>();

  /** One ccxt call, with the offline message and waits on "too many requests". */
  async function call<T>(what: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await what();
      } catch (e) {
        if (e instanceof ccxt.RateLimitExceeded || e instanceof ccxt.DDoSProtection) {
          if (attempt >= MAX_RETRIES) throw new UserError(`${opts.exchange} kept refusing requests as too many (${MAX_RETRIES} waits); run the same command later: it resumes where it stopped`);
          const wait = Math.max(1000, (ex.rateLimit ?? 50) * 20) * 2 ** attempt;
          opts.onWait?.(`${opts.exchange} says too many requests: waiting ${formatNumber(wait / 1000, 'duration')} s (retry ${attempt + 1} of ${MAX_RETRIES})`);
          await sleep(wait);
          continue;
        }
        const code = networkCode(e);
        if (code !== undefined || e instanceof ccxt.NetworkError) throw offlineError(opts.exchange, code ?? (e as Error).constructor.name);
        throw e;
      }
    }
  }

  return {
    name,
    market: 'crypto',
    async resolve(symbol) {
      await call(() => ex.loadMarkets());
      const market = Object.keys(ex.markets ?? {}).find((m) => m === symbol || universeSymbolOf(m) === symbol);
      if (market === undefined) {
        const near = Object.keys(ex.markets ?? {}).filter((m) => m.startsWith(symbol.split(/[/-]/)[0] ?? symbol)).slice(0, 5);
        throw new UserError(`${opts.exchange} has no market "${symbol}"${near.length > 0 ? `; it has ${near.join(', ')}` : ''}`);
      }
      bySymbol.set(universeSymbolOf(market), market);
      return universeSymbolOf(market);
    },
    async page(symbol, interval, since, until): Promise<Page> {
      const market = bySymbol.get(symbol) ?? symbol;
      if (ex.timeframes?.[interval] === undefined) throw new UserError(`${opts.exchange} does not serve ${interval} bars; it serves ${Object.keys(ex.timeframes ?? {}).join(', ')}`);
      const rows = await call(() => ex.fetchOHLCV(market, interval, since, opts.limit));
      const iv = INTERVAL_MS[interval];
      const bars = [];
      let last = -Infinity;
      for (const r of rows) {
        const t = r[0] as number;
        if (t < since || t >= until || t <= last) continue;
        last = t;
        bars.push({ t, o: r[1] as number, h: r[2] as number, l: r[3] as number, c: r[4] as number, v: r[5] as number });
      }
      // An empty page: the exchange has nothing from `since` on. A short page may still be followed by more.
      const next = rows.length === 0 || last === -Infinity ? null : last + iv < until ? last + iv : null;
      return { bars, next, skipped: 0 };
    },
    async close() { await ex.close(); },
  };
}

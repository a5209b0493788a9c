/**
 * Equities and ETFs through yahoo-finance2 3.x (its chart module; 4.x needs Node ≥ 22). The library
 * builds the URLs (https://query2.finance.yahoo.com/v8/finance/chart/SYMBOL); we pass our own `fetch`
 * (its documented constructor option), which only redirects hosts when a base URL is given (tests,
 * mirrors) and turns an HTTP error into ours before the library prints it. The library's runtime
 * warning on Node 20 and its npm version check are switched off: the check would go to the network.
 *
 * Yahoo's limits (the chart module's intervals are 1m 2m 5m 15m 30m 60m 90m 1h 1d …; the library
 * enforces no range, Yahoo's server does, and its docs say intraday history is limited): 1m for the last
 * 30 days at 7 days a request, 5m, 15m and 30m for the last 60 days, 1h for the last 730 days, 1d for the
 * whole history. We page at those spans and refuse, before any request, a start further back than Yahoo
 * serves (`window`). Daily bars are stamped at the market's open in its time zone; they are dated with the
 * exchange's UTC offset (meta.gmtoffset) and stored at UTC midnight.
 */
import YahooFinance from 'yahoo-finance2';
import type { ChartResultArray } from 'yahoo-finance2/modules/chart';
import { UserError } from '../../../core/errors.ts';
import { INTERVAL_MS } from '../../../core/intervals.ts';
import { networkCode, offlineError } from './network.ts';
import { rewriteUrl, type Bar, type Page, type Provider } from './provider.ts';
import { YAHOO_SERVED as SERVED, yahooEarliest } from './yahoo-limits.ts';

const DAY = 86_400_000;
export class ProviderHttpError extends Error {
  constructor(readonly status: number, readonly url: string, readonly retryAfterMs: number | null) {
    super(`HTTP ${status} from ${url}`);
  }
}

const quiet = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {}, dir: () => {} };

export function yahooProvider(opts: { baseUrl?: string | undefined; adjusted: boolean; now?: () => number }): Provider {
  const base = opts.baseUrl;
  const fetchVia = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = rewriteUrl(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, base);
    const res = await fetch(url, init);
    if (!res.ok) {
      const ra = Number(res.headers.get('retry-after'));
      throw new ProviderHttpError(res.status, url, Number.isFinite(ra) && ra > 0 ? ra * 1000 : null);
    }
    return res;
  };
  const yf = new YahooFinance({
    fetch: fetchVia as typeof fetch, logger: quiet, versionCheck: false,
    validation: { logErrors: false, logOptionsErrors: false },
    suppressNotices: ['yahooSurvey', 'ripHistorical'],
  });
  const now = opts.now ?? Date.now;
  return {
    name: 'yahoo',
    market: 'equities',
    async resolve(symbol) { return symbol; },
    window(interval) {
      const served = SERVED[interval];
      if (served === undefined) return null;
      const earliest = yahooEarliest(interval, now());
      return Number.isFinite(earliest) ? { earliest, why: `Yahoo Finance serves ${interval} bars for the last ${served.back} days only` } : null;
    },
    async page(symbol, interval, since, until): Promise<Page> {
      const served = SERVED[interval];
      if (served === undefined) throw new UserError(`Yahoo Finance does not serve ${interval} bars; it serves ${Object.keys(SERVED).join(', ')} (4h comes by resampling 1h: download 1h)`);
      const end = Math.min(until, since + served.span);
      let chart: ChartResultArray;
      try {
        chart = await yf.chart(symbol, { period1: new Date(since), period2: new Date(end), interval: served.name, return: 'array' }, { validateResult: false }) as ChartResultArray;
      } catch (e) {
        const code = networkCode(e);
        if (code !== undefined) throw offlineError('Yahoo Finance', code);
        if (e instanceof ProviderHttpError && e.status === 404) throw new UserError(`Yahoo Finance does not know the symbol "${symbol}" (HTTP 404); check it on finance.yahoo.com`);
        throw e;
      }
      const offset = (chart.meta.gmtoffset ?? 0) * 1000;
      const iv = INTERVAL_MS[interval];
      const bars: Bar[] = [];
      let skipped = 0;
      for (const q of chart.quotes) {
        const { open, high, low, close, volume } = q;
        if (open == null || high == null || low == null || close == null) { skipped++; continue; }
        const raw = q.date.getTime();
        const t = interval === '1d' ? Math.floor((raw + offset) / DAY) * DAY : raw;
        // A bar still forming (today's, or the current minute's) is not data yet.
        if (t < since || t >= until || t + iv > now()) continue;
        const k = opts.adjusted && q.adjclose != null ? q.adjclose / close : 1;
        bars.push({ t, o: open * k, h: high * k, l: low * k, c: close * k, v: volume ?? 0 });
      }
      return { bars, next: end < until ? end : null, skipped };
    },
    async close() {},
  };
}

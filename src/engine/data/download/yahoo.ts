/**
 * Equities and ETFs through yahoo-finance2 3.x (its chart module; 4.x needs Node ≥ 22). The library
 * builds the URLs (https://query2.finance.yahoo.com/v8/finance/chart/SYMBOL); we pass our own `fetch`
 * (its documented constructor option), which only redirects hosts when a base URL is given (tests,
 * mirrors) and turns an HTTP error into ours before the library prints it. The library's runtime
 * warning on Node 20 and its npm version check are switched off: the check would go to the network.
 *
 * Yahoo serves 1m for about the last 30 days at 7 days a request, 5m–30m for 60 days, 1h for 730 days,
 * 1d for the whole history; we page at those spans. Daily bars are stamped at the market's open in its
 * time zone; they are dated with the exchange's UTC offset (meta.gmtoffset) and stored at UTC midnight.
 */
import YahooFinance from 'yahoo-finance2';
import type { ChartResultArray } from 'yahoo-finance2/modules/chart';
import { UserError } from '../../../core/errors.ts';
import { INTERVAL_MS, type Interval } from '../../../core/intervals.ts';
import { networkCode, offlineError } from './network.ts';
import { rewriteUrl, type Bar, type Page, type Provider } from './provider.ts';

const DAY = 86_400_000;
/** Yahoo's interval names and the longest span one request may cover. */
const SERVED: Partial<Record<Interval, { name: '1m' | '5m' | '15m' | '30m' | '1h' | '1d'; span: number }>> = {
  '1m': { name: '1m', span: 7 * DAY },
  '5m': { name: '5m', span: 59 * DAY },
  '15m': { name: '15m', span: 59 * DAY },
  '30m': { name: '30m', span: 59 * DAY },
  '1h': { name: '1h', span: 729 * DAY },
  '1d': { name: '1d', span: 100 * 365 * DAY },
};

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

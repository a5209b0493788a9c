/** `gauntlet data download`: bars from Yahoo Finance (yahoo-finance2) or a crypto exchange (ccxt) into a universe directory. */
import { resolve } from 'node:path';
import { UserError } from '../core/errors.ts';
import { INTERVAL_MS, IntervalSchema, isInterval, type Interval } from '../core/intervals.ts';
import { ccxtProvider } from '../engine/data/download/ccxt.ts';
import type { Provider } from '../engine/data/download/provider.ts';
import { downloadInto, type Progress } from '../engine/data/download/run.ts';
import { yahooProvider } from '../engine/data/download/yahoo.ts';
import { formatTime, parseIsoTime } from '../engine/data/fields.ts';
import { plural } from '../engine/data/issues.ts';
import { parseCommandArgs, requireNumber } from './args.ts';
import type { Io } from './io.ts';

export const DOWNLOAD_HELP = `Usage: gauntlet data download --provider yahoo|ccxt [--exchange NAME] --symbols A,B,… --interval I
                              --from DATE [--to DATE] --out DIR [options]

Downloads bars into a universe directory (the form --universe DIR reads), through well-kept libraries:
  yahoo   equities and ETFs, yahoo-finance2: 1d for the whole history; 1m (last 30 days), 5m, 15m,
          30m (last 60 days) and 1h (last 730 days); a --from further back is refused before any
          request (Yahoo does not serve it)
  ccxt    crypto, any exchange ccxt knows (--exchange binance, kraken, …): OHLCV paged by time,
          spaced by ccxt's own rate limiter; "too many requests" is waited out and retried
Resumable and incremental: each series is written page by page; run the same command again after a
crash or Ctrl-C and it continues one bar after the last saved row; run it later with a later --to and
it fetches only the new bars. Each finished series is validated like any load before universe.json
lists it. Downloading costs no credits but needs network; offline, it says "no network: use data import".

  --provider P     yahoo or ccxt                                                     required
  --exchange NAME  the ccxt exchange (ccxt only)                                     required for ccxt
  --symbols LIST   comma-separated: AAPL,MSFT (yahoo), BTC/USDT,ETH/USDT (ccxt; stored as BTC-USDT)
  --interval I     ${IntervalSchema.options.join(', ')} (what the provider serves)            default 1d
  --from DATE      first day wanted, YYYY-MM-DD (UTC)                                required
  --to DATE        end, exclusive, YYYY-MM-DD or YYYY-MM-DD HH:MM (UTC)              default now
  --out DIR        the universe directory (created, or topped up)                    required
  --adjusted       yahoo: prices × Adj Close / Close (dividends and splits adjusted)
  --limit N        ccxt: bars per request (the exchange's maximum applies too)       default 1000
  --rate-limit MS  ccxt: milliseconds between requests for ccxt's limiter (before each endpoint's
                   cost), when you want to be gentler than the exchange's own setting
  --base-url URL   send the library's requests to URL/<host>/… instead (a mirror or a local test
                   server); also GAUNTLET_DOWNLOAD_BASE_URL
  --json           one JSON object at the end instead of the summary

Exit status: 0 downloaded (or already up to date), 2 bad usage, bad data or no network.
`;

function bar(fraction: number, width: number): string {
  const full = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `${'█'.repeat(full)}${'░'.repeat(width - full)}`;
}

function day(raw: string, flag: string): number {
  const b = Buffer.from(raw.trim(), 'latin1');
  const t = parseIsoTime(b, 0, b.length);
  if (Number.isNaN(t)) throw new UserError(`gauntlet data download: ${flag} "${raw}" is not a date; use YYYY-MM-DD`);
  return t;
}

/** A progress bar on a terminal (redrawn in place); elsewhere a line at each tenth of the range. */
function progressPrinter(io: Io, tty: boolean): (p: Progress) => void {
  let lastStep = -1;
  let lastKey = '';
  return (p) => {
    const key = `${p.symbol} ${p.interval}`;
    if (key !== lastKey) { lastKey = key; lastStep = -1; }
    const line = `${key.padEnd(18)} ${bar(p.done, 20)} ${String(Math.round(p.done * 100)).padStart(3)}%  ${plural(p.bars, 'bar')}, ${plural(p.pages, 'page')}, to ${formatTime(p.cursor)}`;
    if (tty) { io.err(`\r${line}${p.done >= 1 ? '\n' : ''}`); return; }
    const step = Math.floor(p.done * 10);
    if (step !== lastStep) { lastStep = step; io.err(`${line}\n`); }
  };
}

export async function runDownload(argv: string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs('data download', argv, {
    provider: { type: 'string' }, exchange: { type: 'string' }, symbols: { type: 'string' },
    interval: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, out: { type: 'string' },
    adjusted: { type: 'boolean', default: false }, limit: { type: 'string' }, 'rate-limit': { type: 'string' }, 'base-url': { type: 'string' },
    json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) { io.out(DOWNLOAD_HELP); return 0; }
  const fail = (msg: string): never => { throw new UserError(`gauntlet data download: ${msg}\nRun 'gauntlet data download --help' for usage.`); };
  if (values.provider !== 'yahoo' && values.provider !== 'ccxt') fail(`--provider must be yahoo or ccxt${values.provider === undefined ? '' : `, got "${values.provider}"`}`);
  if (values.provider === 'ccxt' && values.exchange === undefined) fail('--provider ccxt needs --exchange NAME (binance, kraken, …)');
  const symbols = (values.symbols ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (symbols.length === 0) fail('--symbols A,B,… is required');
  const interval = values.interval ?? '1d';
  if (!isInterval(interval)) fail(`--interval must be one of ${IntervalSchema.options.join(', ')}, got "${interval}"`);
  if (values.from === undefined) fail('--from DATE is required (the first day wanted)');
  if (values.out === undefined || values.out.trim() === '') fail('--out DIR is required');
  const from = day(values.from as string, '--from');
  const to = values.to === undefined ? Date.now() : day(values.to, '--to');
  if (to <= from) fail(`--to (${values.to}) must be after --from (${values.from})`);
  const limit = requireNumber('data download', 'limit', values.limit, { integer: true, min: 1, max: 100_000 }) ?? 1000;
  const rateLimitMs = requireNumber('data download', 'rate-limit', values['rate-limit'], { integer: true, min: 1, max: 600_000 });
  const baseUrl = values['base-url'] ?? (io.env.GAUNTLET_DOWNLOAD_BASE_URL === '' ? undefined : io.env.GAUNTLET_DOWNLOAD_BASE_URL);
  const provider: Provider = values.provider === 'yahoo'
    ? yahooProvider({ baseUrl, adjusted: values.adjusted })
    : ccxtProvider({ exchange: values.exchange as string, baseUrl, limit, rateLimitMs, onWait: (t) => io.err(`${t}\n`) });
  const dir = resolve(io.cwd, values.out as string);
  const tty = (process.stderr as { isTTY?: boolean }).isTTY === true && io.env.GAUNTLET_PLAIN_PROGRESS === undefined;
  try {
    const result = await downloadInto({ dir, provider, symbols, interval: interval as Interval, from, to, onProgress: progressPrinter(io, tty) });
    if (values.json) {
      io.out(`${JSON.stringify({ dir, provider: provider.name, interval, series: result.map((r) => ({ ...r, first: r.first === null ? null : new Date(r.first).toISOString(), last: r.last === null ? null : new Date(r.last).toISOString() })) })}\n`);
    } else {
      for (const r of result) {
        const what = r.fetched === 0 ? 'up to date' : `${plural(r.fetched, 'new bar')} in ${plural(r.pages, 'page')}${r.resumed ? ' (resumed an interrupted download)' : ''}`;
        io.out(`${r.symbol} ${interval}: ${what}; ${plural(r.total, 'bar')} ${formatTime(r.first ?? 0)} .. ${formatTime(r.last ?? 0)} in ${r.file}${r.skipped > 0 ? ` (${plural(r.skipped, 'empty row')} from the provider skipped)` : ''}\n`);
      }
      io.out(`Universe ${values.out} (${provider.name}). Research on it: gauntlet research "IDEA" --universe ${values.out}${INTERVAL_MS[interval as Interval] < INTERVAL_MS['1d'] ? ` --interval ${interval}` : ''}\n`);
    }
    return 0;
  } finally {
    await provider.close();
  }
}

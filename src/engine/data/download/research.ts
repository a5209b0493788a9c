/**
 * "Download data (if req)" for a research session (docs/director.md): which wanted bars a universe can
 * download, and the download itself, into the universe's own directory through `downloadInto` (the same
 * resumable, validated path as `gauntlet data download`). The universe says where its data comes from:
 * `data download` writes each symbol's `source` as `yahoo SYMBOL` or `ccxt:EXCHANGE MARKET`. Only a
 * directory universe with such symbols downloads; the bundled data is read-only and never offers one.
 *
 * Replay and resume never fetch what the session already fetched: the session's `data:download` records
 * are answered in order from the record, after checking each file's sha256, and the series they added are
 * hidden from the universe until their record is reached, so the session sees the universe it saw.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../../core/errors.ts';
import { sha256 } from '../../../core/spec/hash.ts';
import type { Interval } from '../../../core/intervals.ts';
import type { DownloadOffer, DownloadOutcome, DownloadRequest } from '../../../core/research/ports.ts';
import type { DownloadedSeries, DownloadRecord } from '../../../core/research/download-record.ts';
import type { Universe, UniverseOptions } from '../catalogue.ts';
import { loadUniverseDir } from '../directory.ts';
import type { Provider } from './provider.ts';
import type { SeriesOutcome } from './run.ts';
import { YAHOO_SERVED, yahooEarliest } from './yahoo-limits.ts';

export interface ResearchDownloadOptions {
  readonly universe: Universe;
  /** The session's downloads so far (replay, resume): answered from the record, in order, before anything is fetched. */
  readonly recorded?: readonly DownloadRecord[];
  /** Fetch once the record is used up (research, resume); false for a replay, which never fetches. */
  readonly live: boolean;
  /** `GAUNTLET_DOWNLOAD_BASE_URL`: the providers' requests go to BASE/<host>/… (tests, mirrors). */
  readonly baseUrl?: string | undefined;
  readonly now?: () => number;
  /** How the universe is loaded again after a download (cache, display paths). */
  readonly load?: UniverseOptions;
}

/** Where a symbol's bars came from, as `data download` wrote it; null for imported or hand-listed files. */
function downloadSource(source: string | undefined): { provider: string; symbol: string } | null {
  const m = /^(yahoo|ccxt:[a-z0-9_]+) (\S+)$/.exec(source ?? '');
  return m === null ? null : { provider: m[1]!, symbol: m[2]! };
}

/** The sha256 a `data:download` record keeps of a file it wrote. */
const fileSha256 = (path: string): string => sha256(readFileSync(path));

const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());

function outcome(req: DownloadRequest, from: string, to: string, series: DownloadedSeries[], reason: string | null): DownloadOutcome {
  const base = { source: req.source, interval: req.interval, from, to, series };
  return reason === null ? { ...base, ok: true } : { ...base, ok: false, reason };
}

export class ResearchDownloads {
  private full: Universe;
  private current: Universe;
  private readonly hidden: Set<string>;
  private next = 0;

  constructor(private readonly o: ResearchDownloadOptions) {
    this.full = o.universe;
    this.hidden = new Set((o.recorded ?? []).flatMap((r) => r.series.map((x) => `${x.symbol}@${r.interval}`)));
    this.current = this.full.without(this.hidden);
  }

  /** The universe as the session sees it now. */
  universe(): Universe {
    return this.current;
  }

  /** Whether this universe downloads at all: a directory with symbols `data download` wrote. */
  downloads(): boolean {
    return this.full.kind === 'directory' && this.full.symbols().some((s) => downloadSource(this.full.info(s).source) !== null);
  }

  /** What a download of `symbols` at `interval` would fetch, and from where; or why it cannot. No network. */
  offer(symbols: readonly string[], interval: Interval): DownloadOffer {
    if (this.full.kind !== 'directory') return { ok: false, why: 'the bundled data is read-only; download into your own universe (gauntlet data download … --out DIR) and research with --universe DIR' };
    const from = symbols.map((s) => ({ s, src: downloadSource(this.full.has(s) ? this.full.info(s).source : undefined) }));
    const imported = from.find((x) => x.src === null);
    if (imported !== undefined) return { ok: false, why: `${imported.s}'s bars were not downloaded but imported from files: bring its ${interval} bars with 'gauntlet data import'` };
    const providers = [...new Set(from.map((x) => x.src!.provider))];
    if (providers.length > 1) return { ok: false, why: `${symbols.join(' ')} come from several sources (${providers.join(', ')}); download them with 'gauntlet data download'` };
    const source = providers[0]!;
    if (source !== 'yahoo') return { ok: true, source, fetch: interval };
    // Yahoo has no 4h bars: 1h, resampled, gives them.
    const fetch: Interval | null = YAHOO_SERVED[interval] !== undefined ? interval : interval === '4h' ? '1h' : null;
    return fetch === null ? { ok: false, why: `Yahoo Finance serves no ${interval} bars, nor any that resample to them` } : { ok: true, source, fetch };
  }

  async download(req: DownloadRequest): Promise<DownloadOutcome> {
    const rec = this.o.recorded?.[this.next];
    if (rec !== undefined) {
      this.next += 1;
      return this.replayed(rec, req);
    }
    if (!this.o.live) return outcome(req, '', '', [], 'a replay never downloads, and the session recorded no such download');
    return await this.fetch(req);
  }

  /** A recorded download, answered from its record once each file is the one it wrote. */
  private replayed(rec: DownloadRecord, req: DownloadRequest): DownloadOutcome {
    const same = rec.source === req.source && rec.interval === req.interval && rec.symbols.join(' ') === req.symbols.join(' ');
    if (!same) return outcome(req, '', '', [], `the session downloaded ${rec.interval} bars of ${rec.symbols.join(' ')} from ${rec.source} here, not ${req.interval} bars of ${req.symbols.join(' ')} from ${req.source}`);
    if (rec.status === 'done') {
      for (const x of rec.series) {
        const path = join(this.full.dir, x.file);
        let sha = '';
        try { sha = fileSha256(path); } catch { /* missing: said below */ }
        if (sha !== x.sha256) return outcome(req, rec.from, rec.to, [], `${path} is not the file this session downloaded (its sha256 differs, or it is gone); the universe changed since`);
      }
      for (const x of rec.series) this.hidden.delete(`${x.symbol}@${rec.interval}`);
      this.current = this.full.without(this.hidden);
    }
    return outcome(req, rec.from, rec.to, [...rec.series], rec.status === 'done' ? null : rec.reason ?? 'failed');
  }

  /** Fetches the bars, symbol by symbol; the universe is reloaded once all are in. */
  private async fetch(req: DownloadRequest): Promise<DownloadOutcome> {
    const now = (this.o.now ?? Date.now)();
    const u = this.current;
    const asked = req.symbols.map((s) => downloadSource(u.has(s) ? u.info(s).source : undefined)?.symbol ?? s);
    const series: DownloadedSeries[] = [];
    let provider: Provider | null = null;
    let from = '';
    const to = new Date(now).toISOString();
    try {
      // From the first bar the symbols hold (their coarsest series), or as far back as the provider serves.
      const first = Math.min(...req.symbols.map((s) => {
        const info = u.info(s);
        return u.loadBars(s, info.sources[info.sources.length - 1]!.interval, { repair: true }).bars.time[0] ?? now;
      }));
      const fromMs = req.source === 'yahoo' ? Math.max(first, yahooEarliest(req.interval, now)) : first;
      from = new Date(fromMs).toISOString();
      provider = await this.provider(req.source, now);
      const { downloadInto } = await import('./run.ts');
      for (const symbol of asked) {
        const [o] = await downloadInto({ dir: u.dir, provider, symbols: [symbol], interval: req.interval, from: fromMs, to: now });
        if (o !== undefined) series.push(this.series(o));
      }
      this.full = loadUniverseDir(u.dir, this.o.load ?? {});
    } catch (e) {
      // Offline, a refusal, a provider's error: the session says it and goes on; it never crashes on a download.
      const reason = e instanceof UserError ? e.message : `${req.source} failed: ${e instanceof Error ? e.message : String(e)}`;
      return outcome(req, from, to, series, reason.split('\n')[0]!);
    } finally {
      await provider?.close();
    }
    this.current = this.full.without(this.hidden);
    return outcome(req, from, to, series, null);
  }

  private series(o: SeriesOutcome): DownloadedSeries {
    return { symbol: o.symbol, file: o.file, fetched: o.fetched, bars: o.total, first: iso(o.first), last: iso(o.last), sha256: fileSha256(join(this.full.dir, o.file)) };
  }

  /** The provider library, loaded only when a download runs (research start-up never pays for it). */
  private async provider(source: string, now: number): Promise<Provider> {
    if (source === 'yahoo') return (await import('./yahoo.ts')).yahooProvider({ baseUrl: this.o.baseUrl, adjusted: false, now: () => now });
    const exchange = source.replace(/^ccxt:/, '');
    return (await import('./ccxt.ts')).ccxtProvider({ exchange, baseUrl: this.o.baseUrl, limit: 1000 });
  }
}

/**
 * `data download` and what the research loop may call later (`downloadInto`): fetch the bars a universe
 * directory lacks, resumable and incremental. Per series, only what is missing is fetched (from one bar
 * after the last held row to `to`); each finished series is validated like any load and then listed in
 * universe.json, which is rewritten atomically, so the directory is always a loadable universe.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError, formatZodError } from '../../../core/errors.ts';
import { INTERVAL_MS, type Interval } from '../../../core/intervals.ts';
import { UniverseFileSchema, type UniverseFile } from '../../../core/universe.ts';
import { BUNDLED, bundledDataDir, readSectorMap } from '../bundled.ts';
import { formatIssues, plural } from '../issues.ts';
import { loadFile } from '../load.ts';
import type { Provider } from './provider.ts';
import { openSeriesFile } from './series-file.ts';

export interface DownloadRequest {
  /** The universe directory (created when absent). */
  readonly dir: string;
  readonly provider: Provider;
  readonly symbols: readonly string[];
  readonly interval: Interval;
  /** Epoch ms: first bar wanted (used when nothing is held yet), and the end (exclusive). */
  readonly from: number;
  readonly to: number;
  readonly onProgress?: (p: Progress) => void;
}

export interface Progress {
  readonly symbol: string;
  readonly interval: Interval;
  /** Bars held now (before this run + fetched). */
  readonly bars: number;
  readonly fetched: number;
  /** How far the range is done, 0..1. */
  readonly done: number;
  readonly cursor: number;
  readonly pages: number;
}

export interface SeriesOutcome {
  readonly symbol: string;
  readonly providerSymbol: string;
  readonly file: string;
  readonly fetched: number;
  readonly total: number;
  readonly pages: number;
  readonly resumed: boolean;
  readonly skipped: number;
  readonly first: number | null;
  readonly last: number | null;
}

const day = (t: number): string => new Date(t).toISOString().slice(0, 10);

function readUniverse(path: string): UniverseFile | null {
  if (!existsSync(path)) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UserError(`${path}: invalid JSON (${e instanceof Error ? e.message : String(e)}); fix it or download into another --out`);
  }
  const parsed = UniverseFileSchema.safeParse(raw);
  if (!parsed.success) throw new UserError(formatZodError(parsed.error, path));
  return parsed.data;
}

function writeUniverse(path: string, u: UniverseFile): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(u, null, 2)}\n`);
  renameSync(tmp, path);
}

/**
 * Downloads every requested series into `dir`; throws UserError (offline, unknown symbol, bad bars).
 * A failure leaves no trace of this run's unfinished work: a directory it created is removed when nothing
 * was finished, and a part file it started without a fetched bar is removed (a killed process, which
 * throws nothing, keeps its part file: that is what resumes).
 */
export async function downloadInto(req: DownloadRequest): Promise<SeriesOutcome[]> {
  const created = !existsSync(req.dir);
  const out: SeriesOutcome[] = [];
  let started: { part: string; fresh: boolean } | null = null;
  try {
    return await downloadAll(req, out, (part, fresh) => { started = { part, fresh }; });
  } catch (e) {
    if (created && out.length === 0) rmSync(req.dir, { recursive: true, force: true });
    else if (started !== null) {
      const s: { part: string; fresh: boolean } = started;
      if (s.fresh) rmSync(s.part, { force: true });
    }
    throw e;
  }
}

async function downloadAll(req: DownloadRequest, out: SeriesOutcome[], starting: (part: string, fresh: boolean) => void): Promise<SeriesOutcome[]> {
  const jsonPath = join(req.dir, 'universe.json');
  readUniverse(jsonPath); // a broken universe.json is refused before any request
  const iv = INTERVAL_MS[req.interval];
  const sectors = req.provider.market === 'equities' ? readSectorMap(join(bundledDataDir(), BUNDLED.sectors)) : new Map<string, string>();
  for (const asked of req.symbols) {
    const symbol = await req.provider.resolve(asked);
    const name = `${symbol}_${req.interval}.csv`;
    const file = openSeriesFile(req.dir, name, req.interval === '1d');
    starting(file.part, !file.resumed);
    let cursor = file.last === null ? req.from : file.last + iv;
    const limit = req.provider.window?.(req.interval) ?? null;
    if (limit !== null && cursor < limit.earliest) {
      const first = day(limit.earliest);
      throw new UserError(`${limit.why}: ${symbol} ${req.interval} from ${day(cursor)} is further back than that. Use --from ${first} or later, or bring older bars as files with 'gauntlet data import'`);
    }
    let fetched = 0;
    let pages = 0;
    let skipped = 0;
    const span = Math.max(1, req.to - req.from);
    const report = (): void => req.onProgress?.({
      symbol, interval: req.interval, bars: file.heldBefore + fetched, fetched, pages, cursor,
      done: Math.min(1, Math.max(0, (cursor - req.from) / span)),
    });
    report();
    while (cursor < req.to) {
      const page = await req.provider.page(symbol, req.interval, cursor, req.to);
      pages++;
      skipped += page.skipped;
      file.append(page.bars);
      fetched += page.bars.length;
      if (page.bars.length > 0) starting(file.part, false); // it holds fetched bars now: keep it to resume
      const lastBar = page.bars[page.bars.length - 1];
      cursor = page.next === null ? req.to : Math.max(page.next, lastBar === undefined ? page.next : lastBar.t + iv);
      report();
    }
    // Validated like any load before it becomes part of the universe.
    const loaded = loadFile(file.part, { display: `${req.dir}/.download/${name}.part`, symbol, cacheDir: null });
    if (loaded.errors.length > 0) {
      throw new UserError(`${req.provider.name} sent ${plural(loaded.errors.length, 'bad bar')} for ${symbol} ${req.interval}; nothing of it was added to the universe (the rows are kept in ${file.part}):\n${formatIssues(loaded.errors)}`);
    }
    const t = loaded.series[0]?.time;
    if (t === undefined || t.length === 0) {
      throw new UserError(`${req.provider.name} has no ${req.interval} bars of ${symbol} between ${new Date(req.from).toISOString().slice(0, 10)} and ${new Date(req.to).toISOString().slice(0, 10)}; nothing was added`);
    }
    file.finish();
    const u = readUniverse(jsonPath) ?? { schema: 'gauntlet/universe@1', symbols: {}, edge: null };
    const prev = u.symbols[symbol];
    u.symbols[symbol] = {
      sector: prev?.sector ?? sectors.get(symbol) ?? (req.provider.market === 'crypto' ? 'Crypto' : 'Unknown'),
      market_type: req.provider.market, label: 'start',
      files: { ...(prev?.files ?? {}), [req.interval]: name },
      source: `${req.provider.name} ${asked}`,
    };
    u.provenance = { ...(u.provenance ?? {}), made_by: 'gauntlet data download', [`downloaded_${symbol}_${req.interval}`]: new Date().toISOString() };
    writeUniverse(jsonPath, u);
    out.push({
      symbol, providerSymbol: asked, file: name, fetched, total: t.length, pages, resumed: file.resumed, skipped,
      first: t[0] as number, last: t[t.length - 1] as number,
    });
  }
  return out;
}

/**
 * Writes a synthetic market to a directory: one `<SYMBOL>.csv` per symbol, then `universe.json`
 * (last, so its presence marks a complete market). Every file goes to a temporary name in the
 * same directory, is fsynced and renamed into place, so a crash never leaves a half-written file.
 *
 * CSV: header `time,open,high,low,close,volume`; time `YYYY-MM-DD` (1d) or
 * `YYYY-MM-DDTHH:MM:SSZ` (bar start, UTC); prices with exactly 6 decimals (`toFixed(6)`, which
 * ECMAScript specifies exactly; the in-memory bars already hold these rounded values, so a
 * loaded file equals the generated series); volume an integer. Lines end with `\n`.
 */
import { randomBytes } from 'node:crypto';
import { open, readdir, readFile, rename, stat, mkdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Buffer } from 'node:buffer';
import { UserError } from '../../core/errors.ts';
import { UniverseFileSchema } from '../../core/universe.ts';
import type { Bars } from './bars.ts';
import { timeLabels } from './synth-calendar.ts';
import type { SynthMarket } from './synth.ts';

export const CSV_HEADER = 'time,open,high,low,close,volume';

/** The CSV text of one series; `timeText` (from `timeLabels`) may be passed to share it across symbols. */
const COMMA = 44;
const DOT = 46;
const NEWLINE = 10;
const ZERO = 48;

/** Writes the decimal digits of a non-negative safe integer at `pos`; returns the new position. */
function putInt(buf: Uint8Array, pos: number, value: number): number {
  let v = value;
  let end = pos;
  do {
    end++;
    v = Math.floor(v / 10);
  } while (v > 0);
  v = value;
  for (let i = end - 1; i >= pos; i--) {
    const q = Math.floor(v / 10);
    buf[i] = ZERO + (v - q * 10);
    v = q;
  }
  return end;
}

/** Writes `x.toFixed(6)` for a positive price that is a multiple of 1e-6 (as the generator stores them). */
function putPrice(buf: Uint8Array, pos: number, x: number): number {
  const k = Math.round(x * 1e6);
  const ip = Math.floor(k / 1e6);
  let frac = k - ip * 1e6;
  let p = putInt(buf, pos, ip);
  buf[p++] = DOT;
  for (let i = p + 5; i >= p; i--) {
    const q = Math.floor(frac / 10);
    buf[i] = ZERO + (frac - q * 10);
    frac = q;
  }
  return p + 6;
}

/**
 * The CSV bytes of one series, written straight into a buffer (no string per row): the same text
 * as `time,o.toFixed(6),h.toFixed(6),l.toFixed(6),c.toFixed(6),v.toFixed(0)` per line.
 * `timeText` (from `timeLabels`) may be passed to share it across symbols.
 */
export function encodeCsv(bars: Bars, timeText: readonly string[] = timeLabels(bars.time, bars.interval)): Uint8Array {
  const { open: o, high: h, low: l, close: c, volume: v } = bars;
  const n = bars.time.length;
  const header = Buffer.from(`${CSV_HEADER}\n`, 'latin1');
  // A price is at most 16 + 1 + 6 characters, a volume 16, a time 20; plus 6 separators.
  const buf = Buffer.allocUnsafe(header.length + n * (20 + 4 * 23 + 16 + 6));
  header.copy(buf, 0);
  let p = header.length;
  for (let i = 0; i < n; i++) {
    p += buf.write(timeText[i]!, p, 'latin1');
    buf[p++] = COMMA;
    p = putPrice(buf, p, o[i]!);
    buf[p++] = COMMA;
    p = putPrice(buf, p, h[i]!);
    buf[p++] = COMMA;
    p = putPrice(buf, p, l[i]!);
    buf[p++] = COMMA;
    p = putPrice(buf, p, c[i]!);
    buf[p++] = COMMA;
    p = putInt(buf, p, v[i]!);
    buf[p++] = NEWLINE;
  }
  return buf.subarray(0, p);
}

/** The CSV text of one series (see `encodeCsv`). */
export function formatCsv(bars: Bars, timeText?: readonly string[]): string {
  return Buffer.from(encodeCsv(bars, timeText)).toString('latin1');
}

/** What is already in an output directory: whether it exists, and any files a write would clash with. */
export async function inspectOutDir(dir: string): Promise<{ exists: boolean; isDirectory: boolean; clashes: string[] }> {
  let isDirectory = false;
  try {
    isDirectory = (await stat(dir)).isDirectory();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { exists: false, isDirectory: false, clashes: [] };
    throw e;
  }
  if (!isDirectory) return { exists: true, isDirectory: false, clashes: [] };
  const names = (await readdir(dir)).filter((f) => f === 'universe.json' || f.toLowerCase().endsWith('.csv'));
  return { exists: true, isDirectory: true, clashes: names.sort() };
}

async function writeAtomic(dir: string, name: string, data: string | Uint8Array): Promise<void> {
  const final = join(dir, name);
  // Exclusive create under an unguessable name: a file or symlink planted at the temp name fails the
  // write instead of being followed out of the directory; rename then replaces `final` itself, never
  // what a symlink there points at.
  const tmp = join(dir, `.${name}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const fh = await open(tmp, 'wx');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } catch (e) {
    await fh.close();
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  await fh.close();
  await rename(tmp, final);
}

/** Files listed by a previous *synthetic* universe.json in `dir` (plain names only), for cleanup on --force. */
async function previousSyntheticFiles(dir: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(join(dir, 'universe.json'), 'utf8');
  } catch {
    return [];
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [];
  }
  const u = UniverseFileSchema.safeParse(parsed);
  if (!u.success || u.data.synthetic === undefined) return [];
  const files: string[] = [];
  for (const s of Object.values(u.data.symbols)) {
    for (const f of Object.values(s.files ?? {})) if (f !== undefined && /^[A-Za-z0-9._^-]+\.csv$/.test(f)) files.push(f);
  }
  return files;
}

function sameTimes(a: Float64Array, b: Float64Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Writes `market` into `dir` (created if missing). Refuses (UserError) when `dir` already holds a
 * universe.json or CSV files, unless `force`; with `force`, files a previous synthetic
 * universe.json listed that the new market does not write are removed.
 */
export async function writeMarket(dir: string, market: Pick<SynthMarket, 'universe' | 'bars'>, opts: { force?: boolean } = {}): Promise<string[]> {
  const state = await inspectOutDir(dir);
  if (state.exists && !state.isDirectory) throw new UserError(`${dir} exists and is not a directory`);
  if (state.clashes.length > 0 && opts.force !== true) {
    throw new UserError(`${dir} already holds ${state.clashes.length === 1 ? state.clashes[0]! : `${state.clashes.length} files (${state.clashes.slice(0, 3).join(', ')}${state.clashes.length > 3 ? ', …' : ''})`}; refusing to overwrite without force`);
  }
  const stale = opts.force === true ? await previousSyntheticFiles(dir) : [];
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  const first = market.bars[0];
  const timeText = first === undefined ? [] : timeLabels(first.time, first.interval);
  for (const bars of market.bars) {
    const name = market.universe.symbols[bars.symbol]?.files?.[bars.interval] ?? `${bars.symbol}.csv`;
    // A synthetic market's symbols share one time grid; other series (permuted real bars) have their own.
    await writeAtomic(dir, name, encodeCsv(bars, sameTimes(bars.time, first!.time) ? timeText : timeLabels(bars.time, bars.interval)));
    written.push(name);
  }
  await writeAtomic(dir, 'universe.json', `${JSON.stringify(market.universe, null, 2)}\n`);
  written.push('universe.json');
  const keep = new Set(written);
  for (const f of stale) if (!keep.has(f)) await unlink(join(dir, f)).catch(() => undefined);
  return written;
}

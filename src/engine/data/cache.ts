/**
 * Binary cache of parsed bar files.
 *
 * Key: sha256 over (cache format version, the source's absolute path, the load options): one entry
 * per file and options, replaced when the file changes. The entry records the source's identity
 * (size, mtime and ctime in ns, inode, device) and the sha256 of its bytes. A load whose `stat`
 * matches the recorded identity is a hit without reading the source at all; when the identity
 * differs, the source is read and hashed, and equal content is still a hit (then the entry is
 * re-stamped). Risk, stated: a file rewritten with the same size within one timestamp tick of the
 * filesystem (a few ms) keeps its identity; as git does for its index ("racy" entries), an entry
 * built from a file modified less than RACY_MS before it was read is never trusted on identity
 * alone: such a load hashes the content.
 * Location: `<cacheDir>/<key>.gbars`, where cacheDir = the function argument, else env `GAUNTLET_CACHE`,
 * else `./.gauntlet/cache` (relative to the working directory).
 *
 * Layout (little-endian):
 *   0   8 B  magic "GNTBARS\0"
 *   8   u32  format version
 *   12  u32  header length H (bytes of UTF-8 JSON)
 *   16  f64  total file length
 *   24  u32  crc32 of the data section
 *   28  32 B sha256 of the header JSON
 *   60  H B  header JSON: key, source identity, layout, time kind, rows, per-symbol lengths, errors/warnings/repairs
 *   pad to a multiple of 8, then per symbol: time, open, high, low, close, volume as f64[n]
 * Reading checks magic, version, length, header checksum, key and data crc32; any mismatch means
 * "corrupt": the entry is ignored and rebuilt, never trusted and never a crash.
 * Writes are atomic: a temp file in the same directory, then rename.
 */
import { mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync, type BigIntStats } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { endianness } from 'node:os';
import { join, resolve } from 'node:path';
import { crc32 } from 'node:zlib';
import type { ParsedFile, SeriesColumns, TimeKind } from './parse.ts';
import type { RowIssue } from './issues.ts';
import type { LayoutName } from './formats.ts';
import { PLAIN_COLUMNS, type ColumnNotes } from './columns.ts';
import { cacheLimit, evictCache, touchEntry } from './cache-evict.ts';

export const CACHE_FORMAT_VERSION = 2;
const MAGIC = Buffer.from('GNTBARS\0', 'latin1');
const FIXED = 60;

export type CacheStatus = 'hit' | 'miss' | 'rebuilt' | 'off';

/** What identifies the bytes an entry was built from. */
export interface SourceId {
  size: number;
  /** Nanosecond timestamps, inode and device as decimal strings (they exceed 2^53). */
  mtimeNs: string;
  ctimeNs: string;
  ino: string;
  dev: string;
  /** sha256 of the source's bytes as stored (gzipped or not). */
  sha256: string;
  /** False when the file was modified within RACY_MS of being read: then its identity is not trusted. */
  trusted: boolean;
}

/** A file modified this recently when it was read may change again without its timestamps moving. */
export const RACY_MS = 2000;

/** The identity part of a SourceId, from a `stat` with `bigint: true`. */
export function statIdentity(st: BigIntStats): Omit<SourceId, 'sha256' | 'trusted'> {
  return { size: Number(st.size), mtimeNs: String(st.mtimeNs), ctimeNs: String(st.ctimeNs), ino: String(st.ino), dev: String(st.dev) };
}

/** The entry's source is the file `st` describes, on identity alone (no read). */
export function sameIdentity(id: SourceId, st: BigIntStats): boolean {
  const now = statIdentity(st);
  return id.trusted && id.size === now.size && id.mtimeNs === now.mtimeNs && id.ctimeNs === now.ctimeNs && id.ino === now.ino && id.dev === now.dev;
}

/** A SourceId for bytes just read: trusted unless the file was modified within RACY_MS of `readAtMs`. */
export function sourceId(st: BigIntStats, sha256: string, readAtMs: number): SourceId {
  return { ...statIdentity(st), sha256, trusted: Number(st.mtimeNs / 1_000_000n) < readAtMs - RACY_MS };
}

interface Header {
  key: string;
  source: SourceId;
  layout: LayoutName;
  /** Absent in entries of plain files written before columns were matched by name. */
  columns?: ColumnNotes;
  timeKind: TimeKind;
  rows: number;
  sorted: number;
  symbols: { symbol: string; n: number }[];
  errors: RowIssue[];
  warnings: RowIssue[];
  repairs: RowIssue[];
}

/** The cache directory: explicit argument (null = caching off), else env GAUNTLET_CACHE, else ./.gauntlet/cache. */
export function resolveCacheDir(explicit?: string | null, env: Readonly<Record<string, string | undefined>> = process.env, cwd = process.cwd()): string | null {
  if (explicit === null) return null;
  if (explicit !== undefined) return resolve(cwd, explicit);
  const fromEnv = env.GAUNTLET_CACHE;
  if (fromEnv !== undefined && fromEnv !== '') return resolve(cwd, fromEnv);
  return resolve(cwd, '.gauntlet', 'cache');
}

/** The entry name for a source file (its absolute path) under some load options. */
export function cacheKey(absolutePath: string, options: Readonly<Record<string, unknown>>): string {
  return createHash('sha256').update(`gauntlet-bars/${CACHE_FORMAT_VERSION}\0${absolutePath}\0${stableJson(options)}`).digest('hex');
}

export function cachePath(cacheDir: string, key: string): string {
  return join(cacheDir, `${key}.gbars`);
}

function stableJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'undefined';
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`).join(',')}}`;
}

const align8 = (n: number): number => Math.ceil(n / 8) * 8;

/** Serialises a parsed file (its issues keep the file name they were found under; readers re-label them). */
export function encodeCache(key: string, source: SourceId, parsed: Omit<ParsedFile, 'file'>): Buffer {
  const header: Header = {
    key, source, layout: parsed.layout, columns: parsed.columns, timeKind: parsed.timeKind, rows: parsed.rows, sorted: parsed.sorted,
    symbols: parsed.series.map((s) => ({ symbol: s.symbol, n: s.time.length })),
    errors: parsed.errors, warnings: parsed.warnings, repairs: parsed.repairs,
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const dataStart = align8(FIXED + json.length);
  const values = parsed.series.reduce((acc, s) => acc + 6 * s.time.length, 0);
  const total = dataStart + values * 8;
  const out = Buffer.alloc(total);
  MAGIC.copy(out, 0);
  out.writeUInt32LE(CACHE_FORMAT_VERSION, 8);
  out.writeUInt32LE(json.length, 12);
  out.writeDoubleLE(total, 16);
  createHash('sha256').update(json).digest().copy(out, 28);
  json.copy(out, FIXED);
  const data = new Float64Array(out.buffer, out.byteOffset + dataStart, values);
  let at = 0;
  for (const s of parsed.series) {
    for (const col of [s.time, s.open, s.high, s.low, s.close, s.volume]) {
      data.set(col, at);
      at += col.length;
    }
  }
  out.writeUInt32LE(crc32(out.subarray(dataStart)), 24);
  return out;
}

export type DecodeResult = { ok: true; source: SourceId; parsed: Omit<ParsedFile, 'file'> } | { ok: false; reason: string };

/** Validates and decodes a cache file's bytes. Column arrays are views on one aligned buffer (no copy). */
export function decodeCache(bytes: Buffer, expectedKey: string): DecodeResult {
  if (bytes.length < FIXED) return { ok: false, reason: 'shorter than the fixed header' };
  if (!bytes.subarray(0, 8).equals(MAGIC)) return { ok: false, reason: 'bad magic' };
  if (bytes.readUInt32LE(8) !== CACHE_FORMAT_VERSION) return { ok: false, reason: 'other format version' };
  const hlen = bytes.readUInt32LE(12);
  const total = bytes.readDoubleLE(16);
  if (total !== bytes.length) return { ok: false, reason: `length ${bytes.length} ≠ recorded ${total} (truncated?)` };
  if (FIXED + hlen > bytes.length) return { ok: false, reason: 'header runs past the end' };
  const json = bytes.subarray(FIXED, FIXED + hlen);
  if (!createHash('sha256').update(json).digest().equals(bytes.subarray(28, 60))) return { ok: false, reason: 'header checksum mismatch' };
  let header: Header;
  try {
    header = JSON.parse(json.toString('utf8')) as Header;
  } catch {
    return { ok: false, reason: 'header is not JSON' };
  }
  if (header.key !== expectedKey) return { ok: false, reason: 'key mismatch' };
  const dataStart = align8(FIXED + hlen);
  const values = header.symbols.reduce((acc, s) => acc + 6 * s.n, 0);
  if (dataStart + values * 8 !== bytes.length) return { ok: false, reason: 'data length does not match the header' };
  if (crc32(bytes.subarray(dataStart)) !== bytes.readUInt32LE(24)) return { ok: false, reason: 'data checksum mismatch' };
  let buf = bytes;
  if ((buf.byteOffset + dataStart) % 8 !== 0) { // re-align: Buffer.alloc is never pooled, so its offset is 0
    buf = Buffer.alloc(bytes.length);
    bytes.copy(buf);
  }
  const data = new Float64Array(buf.buffer, buf.byteOffset + dataStart, values);
  let at = 0;
  const take = (n: number): Float64Array => { const v = data.subarray(at, at + n); at += n; return v; };
  const series: SeriesColumns[] = header.symbols.map((s) => ({
    symbol: s.symbol, time: take(s.n), open: take(s.n), high: take(s.n), low: take(s.n), close: take(s.n), volume: take(s.n),
  }));
  return {
    ok: true,
    source: header.source,
    parsed: {
      layout: header.layout, columns: header.columns ?? PLAIN_COLUMNS, timeKind: header.timeKind, rows: header.rows, sorted: header.sorted, series,
      errors: header.errors, warnings: header.warnings, repairs: header.repairs,
    },
  };
}

/** Reads an entry: `undefined` if absent, `{corrupt}` if present but unusable. */
export function readCache(cacheDir: string, key: string): DecodeResult | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(cachePath(cacheDir, key));
  } catch {
    return undefined;
  }
  touchEntry(cachePath(cacheDir, key));
  return decodeCache(bytes, key);
}

/** Writes an entry atomically. Returns an explanation on failure (the cache is an optimisation: never fatal). */
export function writeCache(cacheDir: string, key: string, source: SourceId, parsed: Omit<ParsedFile, 'file'>): string | undefined {
  if (endianness() !== 'LE') return 'cache disabled on big-endian hosts';
  const target = cachePath(cacheDir, key);
  const tmp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(tmp, encodeCache(key, source, parsed));
    renameSync(tmp, target);
    evictCache(cacheDir, cacheLimit(), target);
    return undefined;
  } catch (e) {
    try { unlinkSync(tmp); } catch { /* nothing to clean up */ }
    return `cannot write the cache in ${cacheDir}: ${e instanceof Error ? e.message : String(e)}`;
  }
}

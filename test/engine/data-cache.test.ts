import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheKey, cachePath, decodeCache, RACY_MS, resolveCacheDir } from '../../src/engine/data/cache.ts';
import { loadFile, type LoadedFile } from '../../src/engine/data/load.ts';
import { STOCKS, tempDir, writeTemp } from './data-helpers.ts';

const SMALL = 'date,open,high,low,close,volume\n2020-01-01,10,11,9,10.5,100\n2020-01-02,10.5,12,10,11.25,0.125\n2020-01-03,,1,1,1,1\n';

function bytesOf(f: LoadedFile): Buffer[] {
  return f.series.flatMap((s) => [s.time, s.open, s.high, s.low, s.close, s.volume].map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength)));
}

function onlyEntry(dir: string): string {
  const files = readdirSync(dir);
  expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]); // atomic: no temp file left behind
  const entries = files.filter((f) => f.endsWith('.gbars'));
  expect(entries).toHaveLength(1);
  return join(dir, entries[0]!);
}

describe('binary cache', () => {
  it('round-trips bit-identically, issues included (file names re-applied)', () => {
    const dir = tempDir();
    const cacheDir = join(dir, 'cache');
    const src = writeTemp(dir, 'x.csv', SMALL);
    const cold = loadFile(src, { cacheDir, display: 'first-name.csv' });
    expect(cold.cache).toBe('miss');
    const hot = loadFile(src, { cacheDir, display: 'other-name.csv' });
    expect(hot.cache).toBe('hit');
    expect(Buffer.concat(bytesOf(hot)).equals(Buffer.concat(bytesOf(cold)))).toBe(true);
    expect(hot.errors.map((e) => [e.file, e.line, e.message])).toEqual([['other-name.csv', 4, 'open is empty']]);
    expect({ ...hot, errors: [], cache: '', file: '', series: [] }).toEqual({ ...cold, errors: [], cache: '', file: '', series: [] });
    onlyEntry(cacheDir);
  });

  it('keys on the path and the load options; a changed file is parsed again, even within one timestamp tick', () => {
    const dir = tempDir();
    const cacheDir = join(dir, 'cache');
    const src = writeTemp(dir, 'x.csv', SMALL);
    loadFile(src, { cacheDir });
    expect(loadFile(src, { cacheDir, repair: true }).cache).toBe('miss');
    // Same size, written at once: size, mtime and inode may all be unchanged; the entry was racy, so the content decides.
    writeFileSync(src, SMALL.replace('10.5,100', '10.5,101'));
    const changed = loadFile(src, { cacheDir });
    expect(changed.cache).toBe('miss');
    expect(changed.series[0]!.volume[0]).toBe(101);
    expect(cacheKey('/a', { x: 1, y: 2 })).toBe(cacheKey('/a', { y: 2, x: 1 }));
    expect(cacheKey('/a', { x: 1 })).not.toBe(cacheKey('/b', { x: 1 }));
  });

  it('an entry built from a settled file records its identity and is trusted on stat alone', () => {
    const dir = tempDir();
    const cacheDir = join(dir, 'cache');
    const src = writeTemp(dir, 'x.csv', SMALL);
    const old = new Date(Date.now() - 10 * RACY_MS);
    utimesSync(src, old, old);
    expect(loadFile(src, { cacheDir }).cache).toBe('miss');
    const entry = decodeCache(readFileSync(onlyEntry(cacheDir)), cacheKey(src, { sort: false, repair: false, spike: null, gzName: false }));
    const st = statSync(src, { bigint: true });
    expect(entry.ok && entry.source).toEqual({
      size: SMALL.length, mtimeNs: String(st.mtimeNs), ctimeNs: String(st.ctimeNs), ino: String(st.ino), dev: String(st.dev),
      sha256: createHash('sha256').update(SMALL).digest('hex'), trusted: true,
    });
    expect(loadFile(src, { cacheDir }).cache).toBe('hit');
  });

  it('new content under the old size and mtime is caught (the ctime moved); a touched file with the same bytes is still a hit', () => {
    const dir = tempDir();
    const cacheDir = join(dir, 'cache');
    const src = writeTemp(dir, 'x.csv', SMALL);
    const old = new Date(Date.now() - 10 * RACY_MS);
    utimesSync(src, old, old);
    loadFile(src, { cacheDir });
    writeFileSync(src, SMALL.replace('10.5,100', '10.5,102'));
    utimesSync(src, old, old);
    const changed = loadFile(src, { cacheDir });
    expect([changed.cache, changed.series[0]!.volume[0]]).toEqual(['miss', 102]);
    const later = new Date(Date.now() - 5 * RACY_MS);
    utimesSync(src, later, later);
    const touched = loadFile(src, { cacheDir });
    expect([touched.cache, touched.series[0]!.volume[0]]).toEqual(['hit', 102]);
    expect(loadFile(src, { cacheDir }).cache).toBe('hit');
  });

  it('detects truncated, bit-flipped and garbage entries and rebuilds them (never a crash)', () => {
    const dir = tempDir();
    const cacheDir = join(dir, 'cache');
    const src = writeTemp(dir, 'x.csv', SMALL);
    const ref = Buffer.concat(bytesOf(loadFile(src, { cacheDir })));
    const entry = onlyEntry(cacheDir);
    const good = readFileSync(entry);
    const damage: [string, (b: Buffer) => Buffer][] = [
      ['truncated', (b) => b.subarray(0, b.length - 9)],
      ['header byte flipped', (b) => { const c = Buffer.from(b); c[70] = (c[70] as number) ^ 0xff; return c; }],
      ['data byte flipped', (b) => { const c = Buffer.from(b); c[c.length - 3] = (c[c.length - 3] as number) ^ 0x01; return c; }],
      ['magic', (b) => { const c = Buffer.from(b); c[0] = 0; return c; }],
      ['garbage', () => Buffer.from('not a cache file at all')],
      ['empty', () => Buffer.alloc(0)],
    ];
    for (const [what, fn] of damage) {
      writeFileSync(entry, fn(good));
      const f = loadFile(src, { cacheDir });
      expect(f.cache, what).toBe('rebuilt');
      expect(f.cacheNote, what).toMatch(/unusable/);
      expect(Buffer.concat(bytesOf(f)).equals(ref), what).toBe(true);
      expect(readFileSync(entry).equals(good), what).toBe(true); // rewritten
      expect(loadFile(src, { cacheDir }).cache, what).toBe('hit');
    }
  });

  it('decodeCache refuses an entry written under another key', () => {
    const dir = tempDir();
    const cacheDir = join(dir, 'cache');
    const src = writeTemp(dir, 'x.csv', SMALL);
    loadFile(src, { cacheDir });
    const r = decodeCache(readFileSync(onlyEntry(cacheDir)), 'f'.repeat(64));
    expect(r).toEqual({ ok: false, reason: 'key mismatch' });
  });

  it('directory: argument, else GAUNTLET_CACHE, else ./.gauntlet/cache; null disables it', () => {
    expect(resolveCacheDir('/a/b', { GAUNTLET_CACHE: '/c' }, '/w')).toBe('/a/b');
    expect(resolveCacheDir(undefined, { GAUNTLET_CACHE: '/c' }, '/w')).toBe('/c');
    expect(resolveCacheDir(undefined, {}, '/w')).toBe('/w/.gauntlet/cache');
    expect(resolveCacheDir(null, { GAUNTLET_CACHE: '/c' }, '/w')).toBeNull();
    const dir = tempDir();
    const src = writeTemp(dir, 'x.csv', SMALL);
    const envDir = join(dir, 'from-env');
    expect(loadFile(src, { env: { GAUNTLET_CACHE: envDir } }).cache).toBe('miss');
    onlyEntry(envDir);
    expect(loadFile(src, { cacheDir: null }).cache).toBe('off');
  });

  it('a cache that cannot be written is reported, not fatal', () => {
    const dir = tempDir();
    const src = writeTemp(dir, 'x.csv', SMALL);
    const blocker = writeTemp(dir, 'blocker', 'a file where the cache dir should be');
    const f = loadFile(src, { cacheDir: join(blocker, 'cache') });
    expect(f.series[0]!.time.length).toBe(2);
    expect(f.cacheNote).toMatch(/cannot write the cache/);
  });

  // The speed target (≥ 10× faster from the cache) is measured by `npm run bench` (load_stock_set);
  // this test checks only that the cached load is the same data.
  it('the full stock set reloads from the cache bit-identically', () => {
    const cacheDir = tempDir();
    const cold = loadFile(STOCKS, { cacheDir, repair: true });
    const hot: LoadedFile = loadFile(STOCKS, { cacheDir, repair: true });
    expect(cold.cache).toBe('miss');
    expect(hot.cache).toBe('hit');
    expect(hot.series).toHaveLength(505);
    expect(Buffer.concat(bytesOf(hot)).equals(Buffer.concat(bytesOf(cold)))).toBe(true);
    expect(hot.repairs).toEqual(cold.repairs);
    expect(cachePath(cacheDir, 'k')).toBe(join(cacheDir, 'k.gbars'));
  });
});

import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cacheLimit, DEFAULT_CACHE_MAX_BYTES, evictCache } from '../../src/engine/data/cache-evict.ts';

const dir = mkdtempSync(join(tmpdir(), 'gauntlet-evict-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bar cache eviction (hardening)', () => {
  it('deletes least recently used entries until the rest fit, never the one just written, and leaves other files', () => {
    // Five 100-byte entries used at t = 1..5 s; limit 250 bytes → the three oldest go, except the kept one (t = 1).
    for (let i = 1; i <= 5; i++) {
      const p = join(dir, `e${i}.gbars`);
      writeFileSync(p, Buffer.alloc(100));
      utimesSync(p, i, i);
    }
    writeFileSync(join(dir, 'other.txt'), 'x');
    const freed = evictCache(dir, 250, join(dir, 'e1.gbars'));
    expect(freed).toBe(300);
    expect(readdirSync(dir).sort()).toEqual(['e1.gbars', 'e5.gbars', 'other.txt']);
  });
  it('has a documented default of 1 GiB and honours GAUNTLET_CACHE_MAX_MB', () => {
    expect(DEFAULT_CACHE_MAX_BYTES).toBe(2 ** 30);
    expect(cacheLimit({})).toBe(2 ** 30);
    expect(cacheLimit({ GAUNTLET_CACHE_MAX_MB: '5' })).toBe(5 * 2 ** 20);
    expect(cacheLimit({ GAUNTLET_CACHE_MAX_MB: 'lots' })).toBe(2 ** 30);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFile } from '../src/engine/data/load.ts';
import { BUNDLED, bundledDataDir } from '../src/engine/data/universe.ts';
import { medianMs } from './timing.ts';

/** Cold parse of the full 505-stock set (gunzip + parse + validate, no cache) vs a load from the binary cache. */
export async function benchLoadStockSet(): Promise<Record<string, unknown>> {
  const path = join(bundledDataDir(), BUNDLED.stocks);
  const cacheDir = mkdtempSync(join(tmpdir(), 'gauntlet-bench-cache-'));
  try {
    const coldMs = medianMs(() => loadFile(path, { cacheDir: null, repair: true }), 3, 1);
    const first = loadFile(path, { cacheDir, repair: true });
    const cachedMs = medianMs(() => loadFile(path, { cacheDir, repair: true }), 7, 1);
    const hit = loadFile(path, { cacheDir, repair: true });
    return {
      bench: 'load_stock_set',
      symbols: hit.series.length,
      rows: hit.series.reduce((s, x) => s + x.time.length, 0),
      cold_ms: coldMs,
      cached_ms: cachedMs,
      x_cached: coldMs / cachedMs,
      cache_status: [first.cache, hit.cache],
      target: { x_cached: '>= 10' },
    };
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

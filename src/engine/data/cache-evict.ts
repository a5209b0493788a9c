import { readdirSync, statSync, unlinkSync, utimesSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The bar cache's size limit: entries are rebuilt from their source files on demand, so the cache
 * keeps the most recently used entries up to this many bytes (docs/data.md) and deletes the rest,
 * oldest use first. GAUNTLET_CACHE_MAX_MB overrides it.
 */
export const DEFAULT_CACHE_MAX_BYTES = 1024 * 1024 * 1024;

export function cacheLimit(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const raw = env.GAUNTLET_CACHE_MAX_MB;
  const mb = raw === undefined || !/^\d+$/.test(raw.trim()) ? null : Number(raw);
  return mb === null ? DEFAULT_CACHE_MAX_BYTES : mb * 1024 * 1024;
}

/** A hit marks its entry as used (mtime), so eviction keeps what is read, not only what was written last. */
export function touchEntry(path: string): void {
  try {
    const now = new Date();
    utimesSync(path, now, now);
  } catch {
    // a read-only cache still serves hits; it just does not reorder
  }
}

/**
 * Deletes the least recently used entries (`*.gbars`) of `dir` until they total at most `limit`
 * bytes; `keep` (the entry just written) is never deleted. Returns the bytes freed. Never throws:
 * the cache is an optimisation.
 */
export function evictCache(dir: string, limit: number, keep?: string): number {
  let entries: Array<{ path: string; size: number; used: number }>;
  try {
    entries = readdirSync(dir).filter((n) => n.endsWith('.gbars')).flatMap((n) => {
      try {
        const st = statSync(join(dir, n));
        return st.isFile() ? [{ path: join(dir, n), size: st.size, used: st.mtimeMs }] : [];
      } catch {
        return [];
      }
    });
  } catch {
    return 0;
  }
  let total = entries.reduce((a, e) => a + e.size, 0);
  let freed = 0;
  for (const e of entries.sort((a, b) => a.used - b.used)) {
    if (total <= limit) break;
    if (e.path === keep) continue;
    try {
      unlinkSync(e.path);
      total -= e.size;
      freed += e.size;
    } catch {
      // another process removed or holds it: skip
    }
  }
  return freed;
}

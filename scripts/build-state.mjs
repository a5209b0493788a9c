/**
 * Is the compiled build (dist/) there and as new as the sources? Shared by bin/gauntlet.js (which
 * refuses a missing or stale build with one line saying how to rebuild), the build itself and the
 * test set-up. Plain JavaScript with no dependencies: it runs before anything is compiled.
 *
 * The build writes dist/BUILD.json = { built_at: ms when the build started, files: number of files
 * under src/ }. The build is stale when a file under src/ was modified after built_at, or a file was
 * added or removed (the count differs). Walking src/ costs about 2 ms, once per start.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const SRC = join(ROOT, 'src');
export const DIST = join(ROOT, 'dist');
export const STAMP = join(DIST, 'BUILD.json');

/** Every file under `dir`, relative to it ('/'-separated), in directory order. */
export function listFiles(dir) {
  const out = [];
  const walk = (d, rel) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const r = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) walk(join(d, e.name), r);
      else out.push(r);
    }
  };
  walk(dir, '');
  return out;
}

/**
 * `null` when dist/ is usable; otherwise what is wrong, in words, naming the rebuild command.
 * A copy without src/ (an installed package that ships only dist/) has nothing to be stale against.
 */
export function buildProblem(root = ROOT) {
  const src = join(root, 'src');
  const rebuild = `run 'npm run build' in ${root} (npm install runs it too)`;
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(join(root, 'dist', 'BUILD.json'), 'utf8'));
  } catch {
    return `the compiled build (dist/) is missing; ${rebuild}`;
  }
  if (typeof stamp?.built_at !== 'number' || typeof stamp?.files !== 'number') return `the compiled build's stamp (dist/BUILD.json) is not readable; ${rebuild}`;
  let files;
  try {
    files = listFiles(src);
  } catch {
    return null;
  }
  for (const f of files) {
    if (statSync(join(src, f)).mtimeMs > stamp.built_at) return `the compiled build (dist/) is older than src/${f}; ${rebuild}`;
  }
  if (files.length !== stamp.files) return `the compiled build (dist/) was made from ${stamp.files} source files, src/ now has ${files.length}; ${rebuild}`;
  return null;
}

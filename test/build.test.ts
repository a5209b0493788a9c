/**
 * The compiled build (dist/): bin/gauntlet.js refuses a missing or stale one in one line that says how
 * to rebuild, and the compiled CLI and optimiser workers behave as the TypeScript sources do.
 * (vitest's global set-up rebuilt dist/ if it was stale, so the compiled code here is current.)
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildProblem } from '../scripts/build-state.mjs';
import { usage } from '../src/cli.ts';
import { optimize } from '../src/engine/optimize/optimize.ts';
import { synthBars, TEST_SPEC } from './engine/research-fixtures.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'gauntlet-build-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A fake checkout: src/ with two files, and (optionally) a stamp saying when dist/ was built. */
function checkout(name: string, stamp?: { built_at: number; files: number }): string {
  const root = join(tmp, name);
  mkdirSync(join(root, 'src', 'core'), { recursive: true });
  writeFileSync(join(root, 'src', 'cli.ts'), 'export {};\n');
  writeFileSync(join(root, 'src', 'core', 'a.ts'), 'export {};\n');
  const old = new Date('2024-01-01T00:00:00Z');
  for (const f of ['src/cli.ts', 'src/core/a.ts']) utimesSync(join(root, f), old, old);
  if (stamp !== undefined) {
    mkdirSync(join(root, 'dist'));
    writeFileSync(join(root, 'dist', 'BUILD.json'), JSON.stringify(stamp));
  }
  return `${root}/`;
}

describe('build state', () => {
  const later = Date.parse('2024-06-01T00:00:00Z');

  it('a missing dist/ is named, with the command that rebuilds it', () => {
    const root = checkout('missing');
    expect(buildProblem(root)).toBe(`the compiled build (dist/) is missing; run 'npm run build' in ${root} (npm install runs it too)`);
  });

  it('a build newer than every source, from as many files, is usable', () => {
    expect(buildProblem(checkout('fresh', { built_at: later, files: 2 }))).toBeNull();
  });

  it('a source modified after the build makes it stale, naming the file', () => {
    const root = checkout('edited', { built_at: later, files: 2 });
    const after = new Date(later + 1000);
    utimesSync(join(root, 'src/core/a.ts'), after, after);
    expect(buildProblem(root)).toBe(`the compiled build (dist/) is older than src/core/a.ts; run 'npm run build' in ${root} (npm install runs it too)`);
  });

  it('an added or removed source file makes it stale', () => {
    const root = checkout('added', { built_at: later, files: 3 });
    expect(buildProblem(root)).toBe(`the compiled build (dist/) was made from 3 source files, src/ now has 2; run 'npm run build' in ${root} (npm install runs it too)`);
  });

  it('bin/gauntlet.js without a build says how to build, exit 2, no stack trace', () => {
    const root = join(tmp, 'bin-copy');
    for (const d of ['bin', 'scripts', 'src']) cpSync(join(ROOT, d), join(root, d), { recursive: true });
    const r = spawnSync(process.execPath, [join(root, 'bin', 'gauntlet.js'), '--help'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`gauntlet: the compiled build (dist/) is missing; run 'npm run build' in ${root}/ (npm install runs it too)\n`);
  });
});

describe('the compiled code', () => {
  it('bin/gauntlet.js prints the same help as the TypeScript CLI', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'gauntlet.js'), '--help'], { encoding: 'utf8', cwd: tmp });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(usage());
  });

  it('the compiled optimiser starts its compiled workers and finds the trials the sources find', async () => {
    const { bars } = synthBars(21, 2, 200);
    const opts = { method: 'grid' as const, trials: 6, seed: 1 };
    const dist = pathOf('dist/engine/optimize/optimize.js');
    const compiled = (await import(dist)) as { optimize: typeof optimize };
    const a = await compiled.optimize(TEST_SPEC, bars, { ...opts, workers: 2 });
    const b = await optimize(TEST_SPEC, bars, { ...opts, workers: 0 });
    expect(a.trials).toHaveLength(6);
    expect(a.trials).toEqual(b.trials);
    expect(Array.from(a.returns.values)).toEqual(Array.from(b.returns.values));
  });
});

function pathOf(rel: string): string {
  return new URL(`../${rel}`, import.meta.url).href;
}

/**
 * `npm run build` (also run by `npm install`, as the `prepare` script): compiles src/ to plain
 * JavaScript in dist/, one output file per source file, so bin/gauntlet.js and the optimiser's
 * worker threads start without a TypeScript loader. esbuild only strips types (the type check is
 * `npm run typecheck`); a full build takes about a second.
 *
 * One file per source keeps each module's own `import.meta.url`, so paths computed from it (the
 * bundled data, the prompts, package.json) resolve exactly as from src/: dist/ sits beside src/ at
 * the same depth. Relative imports are rewritten from `.ts`/`.tsx` to `.js` and left to Node;
 * packages stay in node_modules. Non-TypeScript files under src/ (the prompts) are copied.
 * The build goes to a temporary folder and replaces dist/ at the end, so a failed build never
 * leaves a half-written dist/ behind.
 */
import { cpSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DIST, SRC, listFiles } from './build-state.mjs';

const WORKER = 'engine/optimize/trial-worker.ts';

/** Relative imports stay imports of the sibling output file: `./x.ts` → `./x.js`, not inlined. */
const relativeImportsStay = {
  name: 'relative-imports-stay',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      return { path: args.path.replace(/\.tsx?$/, '.js'), external: true };
    });
  },
};

export async function build({ quiet = false } = {}) {
  const { build: esbuild } = await import('esbuild');
  const builtAt = Date.now();
  const files = listFiles(SRC);
  const code = files.filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.d.ts'));
  const tmp = `${DIST}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  try {
    await esbuild({
      entryPoints: code.map((f) => join(SRC, f)),
      outdir: tmp,
      outbase: SRC,
      bundle: true,
      packages: 'external',
      plugins: [relativeImportsStay],
      platform: 'node',
      format: 'esm',
      target: 'node20',
      jsx: 'automatic',
      logLevel: quiet ? 'error' : 'warning',
    });
    // The optimiser's worker is the one file whose start-up is on a hot path (every worker thread
    // loads it): it is bundled into one module, which halves its load time; it reads no file
    // relative to itself, so bundling changes nothing else.
    await esbuild({
      entryPoints: [join(SRC, WORKER)],
      outfile: join(tmp, WORKER.replace(/\.ts$/, '.js')),
      allowOverwrite: true,
      bundle: true,
      packages: 'external',
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: quiet ? 'error' : 'warning',
    });
    for (const f of files.filter((x) => !/\.tsx?$/.test(x) && !x.endsWith('.js'))) {
      mkdirSync(dirname(join(tmp, f)), { recursive: true });
      cpSync(join(SRC, f), join(tmp, f));
    }
    writeFileSync(join(tmp, 'BUILD.json'), `${JSON.stringify({ built_at: builtAt, files: files.length })}\n`);
    rmSync(DIST, { recursive: true, force: true });
    renameSync(tmp, DIST);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  if (!quiet) process.stdout.write(`gauntlet: compiled ${code.length} files from src/ to dist/ in ${Date.now() - builtAt} ms\n`);
  return { files: code.length, ms: Date.now() - builtAt };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    await build();
  } catch (e) {
    process.stderr.write(`gauntlet: the build failed (${e instanceof Error ? e.message.split('\n')[0] : String(e)}); the messages above say where.\n`);
    process.exitCode = 1;
  }
}

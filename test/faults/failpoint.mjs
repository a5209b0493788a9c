/**
 * Fault injection for the fault suite, preloaded into a `gauntlet` child with `--import`. It wraps
 * the fs calls behind the store's atomic writes and its lock, performs them for real, and SIGKILLs
 * the process at an exact point a timer could only hit by luck:
 *
 *   GAUNTLET_FAILPOINT=mid-write@N      half of the N-th temp file written (store.json, ledger.head or an artifact)
 *   GAUNTLET_FAILPOINT=before-rename@N  the N-th temp file complete and fsynced, not yet renamed over its target
 *   GAUNTLET_FAILPOINT=after-rename@N   the N-th rename done, before the directory fsync (and, for store.json, before ledger.head)
 *   GAUNTLET_FAILPOINT=ledger@N         right after the store.json write that brings the ledger to N entries or more
 *   GAUNTLET_FAILPOINT=lock@1           right after the store lock is linked into place, before the store is read
 *   GAUNTLET_FAILPOINT=count:FILE       no kill; at exit, writes how many of each there were to FILE (calibration)
 *
 * Temp files are recognised by the store's naming (`.<name>.<pid>.<hex12>.tmp`); nothing else is touched.
 * Plain JavaScript: worker threads (the optimizer's pool) inherit `--import` before any TypeScript
 * loader is registered in them. Only the main thread, where the store lives, is wrapped.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { isMainThread } from 'node:worker_threads';

const spec = process.env.GAUNTLET_FAILPOINT ?? '';
const TEMP = /[/\\]\.[^/\\]+\.\d+\.[0-9a-f]{12}\.tmp$/;
const parsed = /^(mid-write|before-rename|after-rename|ledger|lock)@(\d+)$/.exec(spec);
const point = parsed?.[1];
const target = Number(parsed?.[2] ?? 0);
const countFile = spec.startsWith('count:') ? spec.slice('count:'.length) : undefined;
const counts = { writes: 0, renames: 0, ledger: 0, locks: 0 };

/** @returns {never} */
function die() {
  process.kill(process.pid, 'SIGKILL');
  // SIGKILL cannot be caught; block until it lands so not one more instruction of the program runs.
  for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
}

/** Wraps the fs calls (store writes happen on the main thread only). */
function install() {
  const fsp = fs.promises;
  const realOpen = fsp.open;
  const realRename = fsp.rename;
  const realLink = fs.linkSync;

  fsp.open = async (...args) => {
    const fh = await realOpen(...args);
    const [path, flags] = args;
    if (typeof path === 'string' && flags === 'wx' && TEMP.test(path)) {
      counts.writes += 1;
      if (point === 'mid-write' && counts.writes === target) {
        fh.writeFile = async (data) => {
          const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
          await fh.write(bytes.subarray(0, bytes.length >> 1));
          die();
        };
      }
    }
    return fh;
  };

  fsp.rename = async (from, to) => {
    const ours = typeof from === 'string' && TEMP.test(from);
    if (ours) {
      counts.renames += 1;
      if (point === 'before-rename' && counts.renames === target) die();
    }
    await realRename(from, to);
    if (!ours) return;
    if (point === 'after-rename' && counts.renames === target) die();
    if ((point === 'ledger' || countFile !== undefined) && String(to).endsWith('store.json')) {
      counts.ledger = JSON.parse(fs.readFileSync(to, 'utf8')).ledger.length;
      if (point === 'ledger' && counts.ledger >= target) die();
    }
  };

  fs.linkSync = (existing, name) => {
    realLink(existing, name);
    if (String(name).endsWith('store.lock')) {
      counts.locks += 1;
      if (point === 'lock' && counts.locks === target) die();
    }
  };

  syncBuiltinESMExports();

  if (countFile !== undefined) process.on('exit', () => fs.writeFileSync(countFile, JSON.stringify(counts)));
}

if (isMainThread) install();

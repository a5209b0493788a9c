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
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const spec = process.env.GAUNTLET_FAILPOINT ?? '';
const TEMP = /[/\\]\.[^/\\]+\.\d+\.[0-9a-f]{12}\.tmp$/;
const parsed = /^(mid-write|before-rename|after-rename|ledger|lock)@(\d+)$/.exec(spec);
const point = parsed?.[1];
const target = Number(parsed?.[2] ?? 0);
const countFile = spec.startsWith('count:') ? spec.slice('count:'.length) : undefined;
const counts = { writes: 0, renames: 0, ledger: 0, locks: 0 };

function die(): never {
  process.kill(process.pid, 'SIGKILL');
  // SIGKILL cannot be caught; block until it lands so not one more instruction of the program runs.
  for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
}

const fsp = fs.promises;
const realOpen = fsp.open;
const realRename = fsp.rename;
const realLink = fs.linkSync;

fsp.open = (async (...args: Parameters<typeof realOpen>) => {
  const fh = await realOpen(...args);
  const [path, flags] = args;
  if (typeof path === 'string' && flags === 'wx' && TEMP.test(path)) {
    counts.writes += 1;
    if (point === 'mid-write' && counts.writes === target) {
      fh.writeFile = async (data: unknown): Promise<void> => {
        const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data as Uint8Array);
        await fh.write(bytes.subarray(0, bytes.length >> 1));
        die();
      };
    }
  }
  return fh;
}) as typeof realOpen;

fsp.rename = (async (from: fs.PathLike, to: fs.PathLike): Promise<void> => {
  const ours = typeof from === 'string' && TEMP.test(from);
  if (ours) {
    counts.renames += 1;
    if (point === 'before-rename' && counts.renames === target) die();
  }
  await realRename(from, to);
  if (!ours) return;
  if (point === 'after-rename' && counts.renames === target) die();
  if ((point === 'ledger' || countFile !== undefined) && String(to).endsWith('store.json')) {
    counts.ledger = (JSON.parse(fs.readFileSync(to, 'utf8')) as { ledger: unknown[] }).ledger.length;
    if (point === 'ledger' && counts.ledger >= target) die();
  }
}) as typeof realRename;

fs.linkSync = ((existing: fs.PathLike, name: fs.PathLike): void => {
  realLink(existing, name);
  if (String(name).endsWith('store.lock')) {
    counts.locks += 1;
    if (point === 'lock' && counts.locks === target) die();
  }
}) as typeof realLink;

syncBuiltinESMExports();

if (countFile !== undefined) process.on('exit', () => fs.writeFileSync(countFile, JSON.stringify(counts)));

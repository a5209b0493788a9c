/**
 * A full disk, two ways:
 * - a file-size limit (`ulimit -f`, SIGXFSZ ignored): the first write past the limit fails with EFBIG,
 *   whichever file it is (store.json's temp file, an artifact, ledger.head). Always available.
 * - a tiny tmpfs holding the store (ENOSPC), when this process may mount one (root with CAP_SYS_ADMIN);
 *   skipped otherwise.
 * Limits are drawn from a seeded PRNG so the failure lands at different writes of the session.
 *
 * Every run must end with exit 3 and a message naming the store path and saying what to do — never
 * "internal error" or a stack trace (before the fix in store.ts, EFBIG was an internal error, exit 1,
 * and a failed artifact or ledger.head write was not a store error at all). Afterwards the store is
 * at rest and sound, every event the process reported is stored, and a run with space again
 * continues the store and closes the failed session.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EDGE_IDEA, EDGE_MARKET, FINAL, inproc, parseEvents, prng, readStoreFile, summaryOf, workspace } from '../research/helpers.ts';
import {
  FULL, checkAtRest, fingerprint, noFindings, nothingDropped, refusalProblems, reported, reportedAreStored, spawnGauntlet, type Exit, type Findings,
} from './harness.ts';
import { Tally } from './tally.ts';

const ws = workspace('faults-disk');
const tally = new Tally('full-disk');
afterAll(() => { tally.report(); ws.cleanup(); });

const market = join(ws.dir, 'market');
const args = (db: string, ...more: string[]): string[] => ['research', EDGE_IDEA, '--universe', market, '--approve', 'all+promote', '--db', db, '--json', ...more];
const FULL_MESSAGE = /The disk is full or a file-size limit was reached/;
/** The size of store.json after the complete session (the same session every time: same idea, market, seed). */
let completeKb = 0;

beforeAll(async () => {
  expect((await inproc(['data', 'synth', ...EDGE_MARKET, '--out', market], ws.env)).code).toBe(0);
  // A first child run with no limit warms the data cache and tsx's compile cache, so the limits hit only the store.
  const r = await spawnGauntlet(args(join(ws.dir, 'complete')), { env: ws.env }).exited;
  expect(r.code, r.stderr).toBe(0);
  completeKb = Math.floor(readFileSync(join(ws.dir, 'complete', 'store.json')).length / 1024);
}, 120_000);


/** The checks after a disk-full failure, then a run with space again that must continue the store. */
async function afterFailure(db: string, exit: Exit, label: string, refused: boolean, named = db): Promise<void> {
  const f: Findings = noFindings();
  if (refused) {
    f.problems.push(...refusalProblems(exit, 3, [named]));
    if (!FULL_MESSAGE.test(exit.stderr)) f.problems.push(`no disk-full hint: ${exit.stderr.trim()}`);
  } else if (exit.code !== 0) {
    f.problems.push(`exit ${exit.code} with room to spare: ${exit.stderr.trim()}`);
  }
  const { events, problems } = reported(exit);
  f.problems.push(...problems);
  const at = await checkAtRest(db, ws.env, f, { label });
  let checked = reportedAreStored(events, at, f, label);

  // The full suite continues in a child process; CI runs the same command in-process (no start-up cost).
  const again = FULL ? await spawnGauntlet(args(db, '--budget', '60'), { env: ws.env }).exited : await inproc(args(db, '--budget', '60'), ws.env);
  if (again.code !== 0) f.problems.push(`${label}the run after space came back: exit ${again.code}: ${again.stderr.trim()}`);
  const after = await checkAtRest(db, ws.env, f, { label: `${label}after the next run: ` });
  nothingDropped(at, after, f, label);
  if (again.code === 0) {
    const evs = parseEvents(again.stdout);
    checked += reportedAreStored(evs, after, f, label);
    if (!FINAL.includes(summaryOf(evs).status)) f.problems.push(`${label}the next run ended ${summaryOf(evs).status}`);
    if (after?.sessions.some((s) => s.status === 'RUNNING')) f.problems.push(`${label}a session is still RUNNING`);
  }
  tally.add(f, checked);
  expect(f, label).toEqual(noFindings());
}

describe('disk full: a file-size limit (EFBIG)', () => {
  const cases = FULL ? 12 : 3;
  it(`${cases} seeded limits from 16 KB to just below the complete store's size, on a fresh store: exit 3 with a clear message, the store sound and continued`, async () => {
    expect(completeKb).toBeGreaterThan(40);
    const rnd = prng(0xd15c);
    let hit = 0;
    for (let i = 0; i < cases; i++) {
      const blocks = 16 + Math.floor(rnd() * (completeKb - 20));
      const db = join(ws.dir, `limit${i}`);
      const exit = await spawnGauntlet(args(db), { env: ws.env, fileSizeBlocks: blocks }).exited;
      const refused = exit.code === 3;
      if (refused) { hit++; tally.faults++; }
      await afterFailure(db, exit, `limit ${blocks} KB: `, refused);
    }
    // The session is the same as the complete one, whose store.json outgrows every limit: each one bites.
    expect(hit).toBe(cases);
  }, FULL ? 600_000 : 180_000);

  it('an existing store a few KB below the limit: the first write fails, store.json and the ledger are left exactly as they were', async () => {
    const db = join(ws.dir, 'existing');
    const src = join(ws.dir, 'complete');
    execFileSync('cp', ['-r', src, db]);
    const size = readFileSync(join(db, 'store.json')).length;
    const before = fingerprint(db);
    const exit = await spawnGauntlet(args(db), { env: ws.env, fileSizeBlocks: Math.floor(size / 1024) + 2 }).exited;
    tally.faults++;
    expect(refusalProblems(exit, 3, [db])).toEqual([]);
    expect(exit.stderr).toMatch(FULL_MESSAGE);
    const after = fingerprint(db);
    expect(after['store.json']).toBe(before['store.json']);
    expect(after['ledger.head']).toBe(before['ledger.head']);
    await afterFailure(db, exit, 'existing store: ', true);
  }, 120_000);
});

/** Mounts a tmpfs of `bytes` at `dir`, or returns false when this process may not. */
function mountTmpfs(dir: string, bytes: number): boolean {
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function unmount(dir: string): void {
  try { execFileSync('umount', ['-l', dir], { stdio: 'ignore' }); } catch { /* not mounted */ }
  rmSync(dir, { recursive: true, force: true });
}

const probe = join(ws.dir, 'probe-mount');
const canMount = mountTmpfs(probe, 64 * 1024);
unmount(probe);

describe.skipIf(!canMount)('disk full: a tiny tmpfs (ENOSPC)', () => {
  const cases = FULL ? 6 : 1;
  it(`${cases} seeded tmpfs sizes between 48 KB and 400 KB: exit 3 with a clear message, the store sound and continued`, async () => {
    const rnd = prng(0x7f5);
    for (let i = 0; i < cases; i++) {
      const kb = 48 + 4 * Math.floor(rnd() * 88);
      const mnt = join(ws.dir, `tmpfs${i}`);
      expect(mountTmpfs(mnt, kb * 1024)).toBe(true);
      try {
        const db = join(mnt, 'db');
        const exit = await spawnGauntlet(args(db), { env: ws.env }).exited;
        expect(exit.code, `tmpfs ${kb} KB: ${exit.stderr}`).toBe(3);
        tally.faults++;
        // Sound where it lies (read-only checks: a writable open needs room for its lock file) …
        const f = noFindings();
        const at = await checkAtRest(db, ws.env, f, { label: `tmpfs ${kb} KB: `, writable: false });
        expect(f).toEqual(noFindings());
        // … and, moved to a disk with room, as a user would after freeing some, it continues.
        const moved = join(ws.dir, `moved${i}`);
        execFileSync('cp', ['-r', db, moved]);
        expect(readStoreFile(moved)).toEqual(at);
        await afterFailure(moved, exit, `tmpfs ${kb} KB: `, true, db);
      } finally {
        unmount(mnt);
      }
    }
  }, 180_000);
});

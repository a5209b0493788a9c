/**
 * A read-only store. As root, chmod stops nothing, so the writer runs as an unprivileged user
 * (uid/gid 65534) over a store it may read but not write; as any other user, the store is chmodded
 * read-only instead. When this process may mount, a read-only bind mount (EROFS) is tried as well.
 *
 * A writer must stop with exit 3 and a message naming the store and saying it is read-only; the
 * store stays byte-for-byte as it was (no lock, no temp file, no migration, no backup); reading
 * commands still work on it (`gauntlet ledger --verify` exit 0 as the same user); and once it is
 * writable again the store continues.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FINAL, ROOT, STOCK_IDEA, inproc, parseEvents, summaryOf, workspace } from '../research/helpers.ts';
import { checkAtRest, fingerprint, noFindings, nothingDropped, refusalProblems, reportedAreStored, spawnGauntlet } from './harness.ts';
import { Tally } from './tally.ts';

const ws = workspace('faults-ro');
const tally = new Tally('read-only');
afterAll(() => {
  tally.report();
  chmodTree(ws.dir, true);
  ws.cleanup();
});

const isRoot = process.getuid?.() === 0;
const NOBODY = { uid: 65534, gid: 65534 };
/**
 * The unprivileged user must be able to load gauntlet itself: a checkout under a 0700 directory
 * (mktemp's default) is out of its reach, and then only the bind-mount variant below can run.
 */
const userCanRun = !isRoot || spawnSync(process.execPath, ['-e', 'require("fs").accessSync(process.argv[1])', join(ROOT, 'node_modules', 'tsx', 'package.json')], { ...NOBODY, stdio: 'ignore' }).status === 0;
const research = (db: string): string[] => ['research', STOCK_IDEA, '--approve', 'all', '--db', db, '--json'];

/** Read-only (dirs 555, files 444) or back to writable (755 / 644). */
function chmodTree(dir: string, writable: boolean): void {
  for (const name of ['', ...readdirSync(dir, { recursive: true, encoding: 'utf8' })]) {
    const p = join(dir, name);
    chmodSync(p, statSync(p).isDirectory() ? (writable ? 0o755 : 0o555) : (writable ? 0o644 : 0o444));
  }
}

/** The environment of an unprivileged child: its own writable HOME and data cache. */
let userEnv: Record<string, string> = ws.env;
let source = '';

beforeAll(async () => {
  // A store with one finished session in it.
  source = join(ws.dir, 'source');
  const r = await inproc(research(source), ws.env);
  expect(r.code, r.stderr).toBe(0);
  if (isRoot) {
    // mkdtemp made the workspace 0700; the unprivileged user needs to reach (not write) what is in it.
    chmodSync(ws.dir, 0o755);
    const home = join(ws.dir, 'nobody-home');
    mkdirSync(home);
    chownSync(home, NOBODY.uid, NOBODY.gid);
    userEnv = { HOME: home, GAUNTLET_CACHE: join(home, 'cache') };
  }
}, 120_000);

function copyStore(name: string): string {
  const db = join(ws.dir, name);
  execFileSync('cp', ['-r', source, db]);
  return db;
}

/** Refused by a writer, untouched, readable, and writable again afterwards. */
async function expectReadOnlyRefusal(db: string, run: () => Promise<{ code: number | null; stderr: string; stdout: string }>, verify: () => Promise<{ code: number | null; stderr: string }>, makeWritable: () => void, hint: RegExp): Promise<void> {
  const before = fingerprint(db);
  const exit = await run();
  tally.faults++;
  expect(refusalProblems(exit, 3, [db])).toEqual([]);
  expect(exit.stderr).toMatch(hint);
  expect(exit.stdout).toBe('');
  expect(fingerprint(db)).toEqual(before);
  // Reading needs no write access.
  const v = await verify();
  expect(v.code, v.stderr).toBe(0);

  makeWritable();
  const f = noFindings();
  const at = await checkAtRest(db, ws.env, f);
  const again = await inproc(research(db), ws.env);
  expect(again.code, again.stderr).toBe(0);
  const events = parseEvents(again.stdout);
  expect(FINAL).toContain(summaryOf(events).status);
  const after = await checkAtRest(db, ws.env, f);
  nothingDropped(at, after, f);
  tally.add(f, reportedAreStored(events, after, f));
  expect(f).toEqual(noFindings());
}

const READ_ONLY = /read-only for this process/;

describe.skipIf(!userCanRun)(`a read-only store${userCanRun ? '' : ` (skipped: uid 65534 cannot read ${ROOT}; the read-only mount below still runs)`}`, () => {
  it(isRoot ? 'as an unprivileged user (uid 65534) over a root-owned store: exit 3, untouched, still readable' : 'chmodded read-only: exit 3, untouched, still readable', async () => {
    const db = copyStore('ro-user');
    if (!isRoot) chmodTree(db, false);
    const as = isRoot ? { user: NOBODY } : {};
    await expectReadOnlyRefusal(db,
      () => spawnGauntlet(research(db), { env: userEnv, ...as }).exited,
      () => spawnGauntlet(['ledger', '--db', db, '--verify'], { env: userEnv, ...as }).exited,
      () => { if (!isRoot) chmodTree(db, true); },
      READ_ONLY);
  }, 120_000);

  it('a store directory that does not exist yet, under a parent the writer may not write: exit 3 naming it, nothing created', async () => {
    const parent = join(ws.dir, 'ro-parent');
    mkdirSync(parent);
    if (!isRoot) chmodSync(parent, 0o555);
    const db = join(parent, 'db');
    const exit = await spawnGauntlet(research(db), { env: userEnv, ...(isRoot ? { user: NOBODY } : {}) }).exited;
    tally.faults++;
    expect(refusalProblems(exit, 3, [db])).toEqual([]);
    expect(exit.stderr).toMatch(READ_ONLY);
    expect(readdirSync(parent)).toEqual([]);
    chmodSync(parent, 0o755);
  }, 60_000);
});

/** A read-only bind mount of `dir` onto itself, or false when this process may not mount. */
function bindReadOnly(dir: string): boolean {
  try {
    execFileSync('mount', ['--bind', dir, dir], { stdio: 'ignore' });
  } catch {
    return false;
  }
  try {
    execFileSync('mount', ['-o', 'remount,bind,ro', dir], { stdio: 'ignore' });
    return true;
  } catch {
    execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
    return false;
  }
}

const unbind = (dir: string): void => { try { execFileSync('umount', ['-l', dir], { stdio: 'ignore' }); } catch { /* not mounted */ } };

const probe = join(ws.dir, 'probe-bind');
mkdirSync(probe, { recursive: true });
const canBind = isRoot && bindReadOnly(probe);
unbind(probe);

describe.skipIf(!canBind)('a store on a read-only mount (EROFS)', () => {
  it('even root cannot write: exit 3, untouched, still readable, writable again once remounted', async () => {
    const db = copyStore('ro-mount');
    expect(bindReadOnly(db)).toBe(true);
    try {
      await expectReadOnlyRefusal(db,
        () => spawnGauntlet(research(db), { env: ws.env }).exited,
        () => inproc(['ledger', '--db', db, '--verify'], ws.env),
        () => unbind(db),
        /EROFS[\s\S]*read-only for this process/);
    } finally {
      unbind(db);
    }
  }, 120_000);
});

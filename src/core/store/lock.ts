import { randomUUID } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, openSync, readFileSync, readdirSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { UserError } from '../errors.ts';
import { isCode } from './atomic-write.ts';
import { SYSTEM_READERS, processStart, processStartLike, type StartReaders } from './process-start.ts';

export { processStart } from './process-start.ts';

/**
 * One writer per store (DESIGN §7), by an exclusive-create lock file holding {pid, hostname,
 * started, token}.
 *
 * Create: the lock's content is written and fsynced in a private temp file which is then link(2)ed
 * to the lock name. link fails with EEXIST exactly like open(…, 'wx'), but the lock appears with
 * its content already in place, so a reader never sees an empty, half-written lock and never has
 * to guess whether it is stale.
 *
 * Stale takeover: a lock whose pid is gone (same host, kill(pid, 0) → ESRCH) is removed only by
 * the holder of a second lock, `<lock>.takeover`, and only after re-reading the lock under it and
 * finding the same token. Only takeover holders remove other processes' locks and there is one at
 * a time, so the re-read stays true until the unlink; a fresh lock is then created the normal way
 * and link(2) picks exactly one winner among racers. A takeover lock abandoned by a crash is
 * itself stale and is recovered by the same procedure one level up (`<lock>.takeover.takeover`).
 *
 * Limits: a lock from another host is never judged stale (its pid means nothing here). A pid
 * recycled by an unrelated process is told apart by the process start time the lock records (Linux
 * /proc, else `ps -o lstart` on macOS and the BSDs: process-start.ts); where the OS does not tell it
 * (Windows), such a lock refuses rather than steal (our own pid is the exception: we know which
 * locks we hold).
 */

export const LockInfoSchema = z.strictObject({
  pid: z.number().int().positive(),
  hostname: z.string(),
  started: z.string(),
  token: z.string().min(1),
  /** The holder's process start (process-start.ts: from /proc on Linux, from ps elsewhere), where the OS tells it. */
  proc_start: z.string().optional(),
});
export type LockInfo = z.infer<typeof LockInfoSchema>;

export interface StoreLock {
  readonly path: string;
  readonly info: LockInfo;
  release(): void;
}

const STORE_EXIT = 3;
/** Racers that lose the takeover lock wait for its holder; this bounds how long (attempts × wait). */
const ATTEMPTS = 100;
const WAIT_MS = 20;

const held = new Set<StoreLock>();
let exitHookInstalled = false;

/** Takes the lock at `path` or throws a UserError (exit 3) naming the holder. `label` names the store in messages. */
export async function acquireLock(path: string, label: string): Promise<StoreLock> {
  const start = processStart(process.pid);
  const me: LockInfo = { pid: process.pid, hostname: hostname(), started: new Date().toISOString(), token: randomUUID(), ...(start === null ? {} : { proc_start: start }) };
  sweepLockTemps(path);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (tryCreate(path, me)) return register(path, me);
    const holder = readLock(path);
    if (holder === 'gone') continue;
    if (holder === 'unreadable') {
      throw new UserError(`store ${label} is locked by ${path}, whose content is not a gauntlet lock; `
        + 'if no gauntlet process is using the store, delete that file', STORE_EXIT);
    }
    if (holderAlive(holder)) throw inUse(label, holder, path);
    if (!removeStale(path, holder, me)) await sleep(WAIT_MS);
  }
  throw new UserError(`store ${label}: could not take the lock ${path} (other processes keep taking it over); try again`, STORE_EXIT);
}

function inUse(label: string, h: LockInfo, path: string): UserError {
  const local = h.hostname === hostname();
  const self = local && h.pid === process.pid ? 'this very process, ' : '';
  const remote = local ? '' : `; if ${h.hostname} no longer runs gauntlet, delete ${path}`;
  return new UserError(`store ${label} is in use by pid ${h.pid} (${self}host ${h.hostname}, started ${h.started}); `
    + `wait for it to finish or stop it${remote}`, STORE_EXIT);
}

function register(path: string, info: LockInfo): StoreLock {
  const lock: StoreLock = {
    path,
    info,
    release() {
      if (!held.delete(lock)) return;
      removeIfOurs(path, info.token);
    },
  };
  held.add(lock);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // 'exit' runs for normal ends and process.exit(); a signal or crash leaves a stale lock, which the next opener takes over.
    process.on('exit', () => { for (const l of [...held]) l.release(); });
  }
  return lock;
}

/** Exclusive create with content: temp file, fsync, link(2). False when the name is taken. */
function tryCreate(path: string, info: LockInfo): boolean {
  const tmp = tempName(path, info);
  const fd = openSync(tmp, 'wx', 0o644);
  try {
    writeSync(fd, JSON.stringify(info));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, path);
    return true;
  } catch (e) {
    if (isCode(e, 'EEXIST')) return false;
    throw e;
  } finally {
    rmSync(tmp, { force: true });
  }
}

const tempName = (path: string, info: LockInfo): string => `${path}.${info.pid}.${info.token}.tmp`;

/** Removes lock temp files (`<lock>[.takeover…].<pid>.<uuid>.tmp`) whose writer died before unlinking them. */
function sweepLockTemps(path: string): void {
  const prefix = `${basename(path)}.`;
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return;
  }
  for (const n of names) {
    const m = /\.(\d+)\.[0-9a-f-]{36}\.tmp$/.exec(n);
    if (m === null || !n.startsWith(prefix)) continue;
    if (!isAlive({ pid: Number(m[1]), hostname: hostname() })) rmSync(join(dirname(path), n), { force: true });
  }
}

function readLock(path: string): LockInfo | 'gone' | 'unreadable' {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (isCode(e, 'ENOENT')) return 'gone';
    throw e;
  }
  try {
    const r = LockInfoSchema.safeParse(JSON.parse(text));
    return r.success ? r.data : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

/**
 * A lock carrying our own pid is alive only if we hold it: after a container restart the new
 * process often gets the same small pid as the one that died, and kill(pid, 0) would say "alive".
 */
function holderAlive(h: LockInfo): boolean {
  if (h.pid === process.pid && h.hostname === hostname()) return [...held].some((l) => l.info.token === h.token);
  return isAlive(h);
}

/**
 * Alive unless the pid is on this host and provably gone. EPERM means it exists under another user.
 * A pid that exists but started at another moment than the lock's holder is a recycled pid: the
 * holder is gone (where the OS tells start times, see process-start.ts; elsewhere a recycled pid still refuses).
 */
export function isAlive(h: Pick<LockInfo, 'pid' | 'hostname' | 'proc_start'>, readers: StartReaders = SYSTEM_READERS): boolean {
  if (h.hostname !== hostname()) return true;
  try {
    process.kill(h.pid, 0);
  } catch (e) {
    return !isCode(e, 'ESRCH');
  }
  if (h.proc_start === undefined) return true;
  const now = processStartLike(h.proc_start, h.pid, readers);
  return now === null || now === h.proc_start;
}

/**
 * Removes the stale lock `stale` at `path` if it is still there, under `<path>.takeover`.
 * Returns false when another process holds the takeover lock (the caller waits and retries).
 */
function removeStale(path: string, stale: LockInfo, me: LockInfo, depth = 0): boolean {
  const guard = `${path}.takeover`;
  if (!tryCreate(guard, me)) {
    const holder = readLock(guard);
    if (holder === 'gone') return false;
    // A takeover abandoned by a crash (or garbage) — recover it the same way, a bounded number of levels up.
    if (holder === 'unreadable' || holderAlive(holder) || depth >= 2) {
      if (holder === 'unreadable') throw new UserError(`${guard} is not a gauntlet lock; if no gauntlet process is running, delete it`, STORE_EXIT);
      return false;
    }
    removeStale(guard, holder, me, depth + 1);
    return false;
  }
  try {
    const now = readLock(path);
    if (now !== 'gone' && now !== 'unreadable' && now.token === stale.token) unlinkSync(path);
    return true;
  } finally {
    removeIfOurs(guard, me.token);
  }
}

function removeIfOurs(path: string, token: string): void {
  const now = readLock(path);
  if (now !== 'gone' && now !== 'unreadable' && now.token === token) rmSync(path, { force: true });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

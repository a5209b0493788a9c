import { randomBytes } from 'node:crypto';
import { open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Crash-safe file replacement: write a temp file in the same directory, fsync it, rename it over
 * the target, then fsync the directory. rename(2) is atomic within a filesystem, so a crash at any
 * moment leaves the old file or the new one, never a mix; the fsyncs make that hold across a power
 * loss too (steno, lowdb's writer, renames without fsync — enough for a killed process, not for a
 * lost disk cache).
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(file);
  const tmp = tempPathFor(file);
  try {
    await writeTempFile(tmp, data);
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  await syncDir(dir);
}

/** A temp name beside `file`, unguessable, so nobody can plant a file or symlink under it in advance. */
export function tempPathFor(file: string): string {
  return join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

/** Creates `tmp` exclusively (a planted file or symlink of that name fails) and writes and fsyncs `data`. */
export async function writeTempFile(tmp: string, data: string | Uint8Array): Promise<void> {
  const fh = await open(tmp, 'wx', 0o644);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Makes a rename in `dir` durable. Platforms that cannot open a directory (Windows) skip it. */
async function syncDir(dir: string): Promise<void> {
  let fh;
  try {
    fh = await open(dir, 'r');
  } catch (e) {
    if (isCode(e, 'EISDIR', 'EPERM', 'EACCES')) return;
    throw e;
  }
  try {
    await fh.sync();
  } catch (e) {
    if (!isCode(e, 'EINVAL', 'EBADF', 'EPERM')) throw e;
  } finally {
    await fh.close();
  }
}

/**
 * Removes temp files a killed writer left in `dir` (names `.<file>.<pid>.<hex>.tmp`). Only call it
 * while holding the store lock: then no other process can be writing one.
 */
export async function sweepTempFiles(dir: string): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    if (isCode(e, 'ENOENT')) return 0;
    throw e;
  }
  const stale = names.filter((n) => /^\..+\.\d+\.[0-9a-f]{12}\.tmp$/.test(n));
  await Promise.all(stale.map((n) => rm(join(dir, n), { force: true })));
  return stale.length;
}

export function isCode(e: unknown, ...codes: string[]): boolean {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return code !== undefined && codes.includes(code);
}

import { existsSync, realpathSync } from 'node:fs';
import { link, lstat, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UserError } from '../errors.ts';
import { isCode, tempPathFor, writeTempFile } from './atomic-write.ts';
import { STORE_FILE } from './paths.ts';

/**
 * Files the user asked for (a dossier, a translated spec, a synthetic universe): written whole or
 * not at all, and only where they were asked for.
 * - The temp file is created exclusively (O_EXCL), so a planted file or symlink of that name fails
 *   the write instead of being followed; the final rename replaces a symlink, never what it points at.
 * - An existing file is replaced only with `force`; without it the file is linked into place, which
 *   fails if the name appeared meanwhile, so no-clobber holds even under a race.
 * - Never a file inside a store (a directory holding store.json, or any directory below one), with
 *   or without `force`: an export over store.json would lose the store.
 */

/** The store directory `path` lies in or under (after resolving symlinks), or null. */
export function storeAround(path: string): string | null {
  // The nearest directory that exists (a write may create the ones below it), symlinks resolved.
  let dir = dirname(path);
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  try {
    dir = realpathSync(dir);
  } catch {
    return null;
  }
  for (;;) {
    if (existsSync(join(dir, STORE_FILE))) return dir;
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

/** Throws (exit 2) when `path` is inside a store. `shown` is how the message names the path. */
export function refuseInsideStore(path: string, shown: string): void {
  const store = storeAround(path);
  if (store !== null) {
    throw new UserError(`${shown} is inside the store ${store}: gauntlet never writes an output file there (it would corrupt or replace the store). Choose a path outside it.`);
  }
}

export interface OutputOptions {
  /** Replace an existing file. */
  force: boolean;
  /** How messages name the command, the flag that chose the file and the path as the user gave it. */
  command: string;
  flag: string;
  shown: string;
  /** What to do about an existing file (default: add --force). */
  existsHint?: string;
}

/** Writes `data` to `file` under the rules above; UserError (exit 2) with what to do when it may not. */
export async function writeOutputFile(file: string, data: string | Uint8Array, o: OutputOptions): Promise<void> {
  refuseInsideStore(file, `${o.command}: ${o.flag} ${o.shown}`);
  const exists = await lstat(file).then(() => true, (e: unknown) => (isCode(e, 'ENOENT') ? false : Promise.reject(e)));
  const existing = (): UserError => new UserError(`${o.command}: ${o.flag} ${o.shown} exists; ${o.existsHint ?? 'add --force to replace it'}`);
  if (exists && !o.force) throw existing();
  const tmp = tempPathFor(file);
  try {
    await writeTempFile(tmp, data);
    if (o.force) {
      await rename(tmp, file);
    } else {
      try {
        await link(tmp, file);
      } catch (e) {
        if (isCode(e, 'EEXIST')) throw existing();
        if (!isCode(e, 'EPERM', 'ENOTSUP', 'EXDEV', 'ENOSYS')) throw e;
        await rename(tmp, file); // a filesystem without hard links: the check above has to do
        return;
      }
      await rm(tmp, { force: true });
    }
  } catch (e) {
    await rm(tmp, { force: true });
    if (e instanceof UserError) throw e;
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'ENOENT: the directory does not exist' : (err.message ?? String(e));
    throw new UserError(`${o.command}: cannot write ${o.shown}: ${why}`);
  }
}

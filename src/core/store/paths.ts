import { isAbsolute, join, relative, resolve } from 'node:path';
import { UserError } from '../errors.ts';

/** Where things live inside a store directory. */
export const STORE_FILE = 'store.json';
export const LOCK_FILE = 'store.lock';
export const ARTIFACTS_DIR = 'artifacts';
export const DEFAULT_DB_DIR = '.gauntlet';

export const storeFile = (dir: string): string => join(dir, STORE_FILE);
export const lockFile = (dir: string): string => join(dir, LOCK_FILE);

/** The store directory: `--db DIR`, else $GAUNTLET_DB, else ./.gauntlet — relative paths against `cwd`. */
export function resolveDbDir(flag: string | undefined, env: Readonly<Record<string, string | undefined>>, cwd: string): string {
  if (flag !== undefined && flag.trim() === '') throw new UserError('--db needs a directory, got an empty string');
  const fromEnv = env.GAUNTLET_DB !== undefined && env.GAUNTLET_DB.trim() !== '' ? env.GAUNTLET_DB : undefined;
  return resolve(cwd, flag ?? fromEnv ?? DEFAULT_DB_DIR);
}

/** How messages name a store: `./.gauntlet` when under the working directory, else the absolute path. */
export function displayDir(dir: string, cwd: string = process.cwd()): string {
  const rel = relative(cwd, dir);
  if (rel === '') return '.';
  return rel.startsWith('..') || isAbsolute(rel) ? dir : `./${rel}`;
}

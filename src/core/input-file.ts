import { closeSync, fstatSync, openSync, readFileSync, statSync } from 'node:fs';
import { constants } from 'node:fs';
import { UserError } from './errors.ts';

/**
 * Every file gauntlet reads on the user's behalf (a spec, an idea, a Pine script, universe.json, a
 * bar file, store.json) must be a regular file of bounded size: a FIFO would block the read forever,
 * /dev/zero would grow without end, and a file past what a string can hold would fail as an internal
 * error. These are the limits (docs/data.md):
 */

/** Specs, ideas, Pine scripts, universe.json, gate configs. */
export const MAX_TEXT_BYTES = 16 * 1024 * 1024;
/** A bar file (CSV/TSV, also its gzip-decompressed content) and store.json: below V8's longest string (≈ 512 MiB). */
export const MAX_DATA_BYTES = 512 * 1024 * 1024;

const MiB = (n: number): string => `${Math.round(n / (1024 * 1024))} MiB`;

/**
 * Checks that `path` is a regular file of at most `maxBytes`; returns its size. `shown` names it in
 * messages, `what` says what kind of file was expected. ENOENT is left to the caller (each command
 * words "not found" its own way).
 */
export function checkInputFile(path: string, shown: string, maxBytes: number, what: string): number {
  const st = statSync(path);
  if (!st.isFile()) {
    const kind = st.isDirectory() ? 'a directory' : st.isFIFO() ? 'a named pipe (FIFO)' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : st.isSocket() ? 'a socket' : 'not a regular file';
    throw new UserError(`${shown}: is ${kind}, not a regular file; give the path of a ${what} file`);
  }
  if (st.size > maxBytes) throw new UserError(`${shown}: ${st.size} bytes, more than the ${MiB(maxBytes)} a ${what} file may have`);
  return st.size;
}

/**
 * Reads a checked input file. It is opened without blocking (O_NONBLOCK: a FIFO swapped in after the
 * check cannot hang the open) and checked again on the open descriptor, so what is read is what was
 * checked.
 */
export function readInputFile(path: string, shown: string, maxBytes: number, what: string): Buffer {
  checkInputFile(path, shown, maxBytes, what);
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > maxBytes) throw new UserError(`${shown}: changed while it was being read; try again`);
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function readInputText(path: string, shown: string, maxBytes: number, what: string): string {
  return readInputFile(path, shown, maxBytes, what).toString('utf8');
}

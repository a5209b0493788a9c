/**
 * A directory that appears complete or not at all: everything is written into a hidden staging
 * directory beside the target, fsynced, checked by the caller, then renamed into place in one step.
 * A failure (or a killed process) leaves at most a `.<name>.staging-*` directory, never a half-filled
 * target; the next run removes stale staging directories of the same target.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { UserError } from '../../core/errors.ts';

export interface StagedDir {
  /** The staging directory: write here. */
  readonly path: string;
  /** Writes a file into the staging directory and fsyncs it. */
  write(name: string, bytes: string | Uint8Array): void;
  /** Renames the staging directory onto the target (replacing an old one when `replace`). */
  commit(): void;
  /** Removes the staging directory (after a failure). Safe to call twice. */
  abort(): void;
}

/** Files in `dir` that make it a universe the user might lose (anything at all but dot files). */
export function occupied(dir: string): string[] {
  if (!existsSync(dir)) return [];
  if (!statSync(dir).isDirectory()) throw new UserError(`${dir}: exists and is not a directory`);
  return readdirSync(dir).filter((f) => !f.startsWith('.'));
}

/** Throws when `target` holds files and may not be replaced (checked before any work, and again on staging). */
export function refuseOccupied(target: string, shown: string, replace: boolean): void {
  const present = occupied(target);
  if (present.length > 0 && !replace) {
    const list = present.slice(0, 3).join(', ') + (present.length > 3 ? ', …' : '');
    throw new UserError(`${shown}: already holds ${present.length} file(s) (${list}); choose another --out, or pass --force to replace it`);
  }
}

/**
 * Starts a staged directory for `target`. `replace`: an existing non-empty target is replaced on commit;
 * otherwise it is refused now, before any work, naming what is there.
 */
export function stageDir(target: string, shown: string, replace: boolean): StagedDir {
  refuseOccupied(target, shown, replace);
  const parent = dirname(target);
  mkdirSync(parent, { recursive: true });
  const prefix = `.${basename(target)}.staging-`;
  for (const old of readdirSync(parent)) if (old.startsWith(prefix)) rmSync(join(parent, old), { recursive: true, force: true });
  const path = join(parent, `${prefix}${process.pid}-${randomBytes(4).toString('hex')}`);
  mkdirSync(path);
  let done = false;
  return {
    path,
    write(name, bytes) {
      const fd = openSync(join(path, name), 'w');
      try {
        writeSync(fd, typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    },
    commit() {
      if (existsSync(target)) {
        // rename(2) replaces an empty directory; a non-empty one (replace) is moved aside first.
        const aside = `${path}.old`;
        renameSync(target, aside);
        renameSync(path, target);
        rmSync(aside, { recursive: true, force: true });
      } else {
        renameSync(path, target);
      }
      done = true;
    },
    abort() {
      if (!done) rmSync(path, { recursive: true, force: true });
      done = true;
    },
  };
}

import { readFile } from 'node:fs/promises';
import type { Adapter } from 'lowdb';
import { isCode, writeFileAtomic } from './atomic-write.ts';
import { MAX_DATA_BYTES, checkInputFile } from '../input-file.ts';
import { UserError } from '../errors.ts';

/**
 * lowdb's DataFile, with two changes: writes go through writeFileAtomic (temp + fsync + rename +
 * directory fsync; steno skips the fsyncs), and `parse` is where zod runs, so lowdb never holds
 * data that failed validation. Read maps a missing file to null, as lowdb's TextFile does.
 */
export class AtomicDataFile<T> implements Adapter<T> {
  readonly #parse: (text: string) => T;
  readonly #stringify: (data: T) => string;

  constructor(readonly filename: string, opts: { parse: (text: string) => T; stringify: (data: T) => string }) {
    this.#parse = opts.parse;
    this.#stringify = opts.stringify;
  }

  async read(): Promise<T | null> {
    let text: string;
    try {
      // A regular file of bounded size: a FIFO or device in its place would hang or grow the read.
      checkInputFile(this.filename, this.filename, MAX_DATA_BYTES, 'store');
      text = await readFile(this.filename, 'utf8');
    } catch (e) {
      if (isCode(e, 'ENOENT')) return null;
      if (e instanceof UserError) throw new UserError(e.message, 3);
      throw e;
    }
    return this.#parse(text);
  }

  async write(data: T): Promise<void> {
    await writeFileAtomic(this.filename, this.#stringify(data));
  }
}

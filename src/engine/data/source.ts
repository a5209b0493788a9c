/** Reading a bar file from disk: raw bytes (for the cache key) and decompressed bytes (for the parser). */
import { statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { UserError } from '../../core/errors.ts';
import { MAX_DATA_BYTES, readInputFile } from '../../core/input-file.ts';

/** Reads a file's bytes, or throws a UserError naming the file. */
export function readRaw(path: string, display = path): Buffer {
  try {
    statSync(path);
  } catch {
    throw new UserError(`${display}: file not found`);
  }
  try {
    // A regular file of bounded size: a FIFO, a device or a file past what can be parsed is refused here.
    return readInputFile(path, display, MAX_DATA_BYTES, 'CSV/TSV bar');
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`${display}: cannot read the file (${e instanceof Error ? e.message : String(e)})`);
  }
}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Decompresses gzip content (sniffed by its magic bytes, so a `.gz` name is not required), else returns the bytes. */
export function decompress(raw: Buffer, display: string): Buffer {
  if (!isGzip(raw)) {
    if (/\.gz$/i.test(display)) throw new UserError(`${display}: the name ends in .gz but the content is not gzip; rename the file or re-compress it`);
    return raw;
  }
  try {
    // Bounded like a plain file: a small gzip can expand without end.
    return gunzipSync(raw, { maxOutputLength: MAX_DATA_BYTES });
  } catch (e) {
    if (e instanceof RangeError || (e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new UserError(`${display}: decompresses to more than the ${MAX_DATA_BYTES / (1024 * 1024)} MiB a CSV/TSV bar file may have`);
    }
    throw new UserError(`${display}: corrupt or truncated gzip data (${e instanceof Error ? e.message : String(e)}); re-download or re-compress the file`);
  }
}


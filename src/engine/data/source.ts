/** Reading a bar file from disk: its identity (for the cache), raw bytes, and decompressed bytes (for the parser). */
import { closeSync, constants, openSync, readSync, statSync, type BigIntStats } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { UserError } from '../../core/errors.ts';
import { MAX_DATA_BYTES, readInputFile } from '../../core/input-file.ts';

/** A file's `stat` (nanosecond times, for the cache's identity check), or a UserError naming the file. */
export function statSource(path: string, display = path): BigIntStats {
  let st;
  try {
    st = statSync(path, { bigint: true });
  } catch {
    throw new UserError(`${display}: file not found`);
  }
  if (st.isDirectory()) throw new UserError(`${display}: is a directory, expected a CSV/TSV file`);
  return st;
}

/** Reads a file's bytes in one call, or throws a UserError naming the file. */
export function readRaw(path: string, display = path): Buffer {
  statSource(path, display);
  return readBytes(path, display);
}

/** The bytes of a file already stat'ed by statSource. */
export function readBytes(path: string, display = path): Buffer {
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


/** The first `bytes` bytes of a file (fewer if it is shorter): for sniffing a large file without reading it all. */
export function readHead(path: string, bytes: number): Buffer {
  // Without blocking: a FIFO must not hang the open (callers check for a regular file first).
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const buf = Buffer.allocUnsafe(bytes);
    let n = 0;
    for (let got = -1; got !== 0 && n < bytes; n += got) got = readSync(fd, buf, n, bytes - n, n);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

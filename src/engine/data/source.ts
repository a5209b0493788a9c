/** Reading a bar file from disk: raw bytes (for the cache key) and decompressed bytes (for the parser). */
import { readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { UserError } from '../../core/errors.ts';

/** Reads a file's bytes, or throws a UserError naming the file. */
export function readRaw(path: string, display = path): Buffer {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new UserError(`${display}: file not found`);
  }
  if (st.isDirectory()) throw new UserError(`${display}: is a directory, expected a CSV/TSV file`);
  try {
    return readFileSync(path);
  } catch (e) {
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
    return gunzipSync(raw);
  } catch (e) {
    throw new UserError(`${display}: corrupt or truncated gzip data (${e instanceof Error ? e.message : String(e)}); re-download or re-compress the file`);
  }
}


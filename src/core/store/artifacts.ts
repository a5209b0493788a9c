import { mkdir, readFile, stat } from 'node:fs/promises';
import { endianness } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { UserError } from '../errors.ts';
import { canonicalJson, sha256 } from '../spec/hash.ts';
import { isCode, writeFileAtomic } from './atomic-write.ts';
import type { ArtifactRef } from './schema.ts';

/**
 * Content-addressed files beside store.json: `artifacts/<h[0:2]>/<h>.json` for JSON (canonical
 * text), `.bin` for Float64Array (raw little-endian float64s) and `.txt` for text (raw UTF-8: model
 * transcript bodies), where h is the sha256 of the file's bytes. The same content is written once;
 * every read re-hashes the bytes, so a corrupted file is reported, never silently used.
 */

const STORE_EXIT = 3;
const JsonValue = z.json();
const EXTENSIONS: Record<ArtifactRef['format'], string> = { json: 'json', f64: 'bin', text: 'txt' };

export function artifactPath(storeDir: string, ref: Pick<ArtifactRef, 'hash' | 'format'>): string {
  return join(storeDir, 'artifacts', ref.hash.slice(0, 2), `${ref.hash}.${EXTENSIONS[ref.format]}`);
}

function encode(value: unknown): { bytes: Uint8Array; format: ArtifactRef['format'] } {
  if (value instanceof Float64Array) {
    // The format is little-endian; a big-endian host would write files no other machine could read.
    if (endianness() !== 'LE') throw new Error('float64 artifacts need a little-endian host');
    return { bytes: new Uint8Array(value.buffer, value.byteOffset, value.byteLength), format: 'f64' };
  }
  // JSON.stringify would turn NaN into null and drop undefined; refuse instead of storing something else.
  const r = JsonValue.safeParse(value);
  if (!r.success) throw new TypeError(`an artifact must be a Float64Array or plain JSON (no NaN, Infinity, undefined, functions): ${r.error.issues[0]?.message ?? ''}`);
  return { bytes: Buffer.from(canonicalJson(value), 'utf8'), format: 'json' };
}

/** Stores `value` (plain JSON or a Float64Array) and returns its reference; existing identical content is reused. */
export async function putArtifact(storeDir: string, value: unknown): Promise<ArtifactRef> {
  const { bytes, format } = encode(value);
  return await putBytes(storeDir, bytes, format);
}

/** Stores `text` as raw UTF-8 (format "text"), so its hash is the sha256 of the text itself. */
export async function putTextArtifact(storeDir: string, text: string): Promise<ArtifactRef & { format: 'text' }> {
  return await putBytes(storeDir, Buffer.from(text, 'utf8'), 'text');
}

/**
 * Writes `bytes` under their hash, unless an intact copy is there: a temp file created exclusively
 * (a planted file or symlink under its name fails) and renamed into place (rename replaces a link,
 * never follows it). The store refuses to open with a symlinked artifacts folder (store.ts).
 */
async function putBytes<F extends ArtifactRef['format']>(storeDir: string, bytes: Uint8Array, format: F): Promise<ArtifactRef & { format: F }> {
  const ref = { hash: sha256(bytes), format, bytes: bytes.byteLength };
  const file = artifactPath(storeDir, ref);
  const existing = await readBytes(file);
  // A same-named file with other bytes is a corrupt copy: replace it rather than trust it.
  if (existing !== null && sha256(existing) === ref.hash) return ref;
  await mkdir(join(storeDir, 'artifacts', ref.hash.slice(0, 2)), { recursive: true });
  await writeFileAtomic(file, bytes);
  return ref;
}

async function readBytes(file: string): Promise<Buffer | null> {
  try {
    return await readFile(file);
  } catch (e) {
    if (isCode(e, 'ENOENT')) return null;
    throw e;
  }
}

async function readVerified(storeDir: string, ref: Pick<ArtifactRef, 'hash' | 'format'>): Promise<Buffer> {
  const file = artifactPath(storeDir, ref);
  const bytes = await readBytes(file);
  if (bytes === null) throw new UserError(`${file}: artifact is missing (the store refers to it, but the file is gone)`, STORE_EXIT);
  const actual = sha256(bytes);
  if (actual !== ref.hash) {
    throw new UserError(`${file}: artifact content does not match its hash (sha256 is ${actual}); the file is corrupt`, STORE_EXIT);
  }
  return bytes;
}

export async function readJsonArtifact(storeDir: string, hash: string): Promise<unknown> {
  const bytes = await readVerified(storeDir, { hash, format: 'json' });
  return JSON.parse(bytes.toString('utf8')) as unknown;
}

export async function readTextArtifact(storeDir: string, hash: string): Promise<string> {
  return (await readVerified(storeDir, { hash, format: 'text' })).toString('utf8');
}

export async function readF64Artifact(storeDir: string, hash: string): Promise<Float64Array> {
  const bytes = await readVerified(storeDir, { hash, format: 'f64' });
  if (bytes.byteLength % 8 !== 0) throw new UserError(`${artifactPath(storeDir, { hash, format: 'f64' })}: not a whole number of float64s`, STORE_EXIT);
  // Copy into a fresh, aligned buffer: a Buffer's offset into Node's pool need not be a multiple of 8.
  const out = new Float64Array(bytes.byteLength / 8);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

/**
 * Artifacts the store refers to that are gone or have the wrong size (every `{hash, format, bytes}`
 * reference anywhere in the records). A size check, not a re-hash, for runs' curves and trade lists:
 * cheap enough for every --verify, and a read re-hashes the bytes anyway. Text artifacts (transcript
 * bodies, at most 256 KiB each) are re-hashed too: replay and resume read them, and an edit that
 * keeps the size must be reported before that.
 */
export async function missingArtifacts(storeDir: string, data: unknown): Promise<string[]> {
  const refs = new Map<string, ArtifactRef>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) { for (const x of v) walk(x); return; }
    if (v === null || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    if (typeof o.hash === 'string' && /^[0-9a-f]{64}$/.test(o.hash) && typeof o.format === 'string' && Object.hasOwn(EXTENSIONS, o.format) && typeof o.bytes === 'number') {
      refs.set(`${o.hash}.${o.format}`, o as unknown as ArtifactRef);
      return;
    }
    for (const x of Object.values(o)) walk(x);
  };
  walk(data);
  const out: string[] = [];
  for (const ref of refs.values()) {
    const file = artifactPath(storeDir, ref);
    const size = await stat(file).then((st) => st.size, (e: unknown) => (isCode(e, 'ENOENT') ? null : Promise.reject(e)));
    if (size === null) out.push(`${file}: artifact is missing (the store refers to it, but the file is gone)`);
    else if (size !== ref.bytes) out.push(`${file}: artifact has ${size} bytes, the store recorded ${ref.bytes}: the file was changed`);
    else if (ref.format === 'text') {
      const actual = sha256(await readFile(file));
      if (actual !== ref.hash) out.push(`${file}: artifact content does not match its hash (sha256 is ${actual}): the file was changed`);
    }
  }
  return out;
}

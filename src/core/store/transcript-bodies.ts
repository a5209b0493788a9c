import { safeText } from '../safe-text.ts';
import { sha256 } from '../spec/hash.ts';
import type { ArtifactRef, TranscriptBody, TranscriptBodyRef, TranscriptRecord } from './schema.ts';

/**
 * A model call's large texts (the canonical request, the reply, the reasoning) stay out of
 * store.json: three sessions of hostile 10 MB replies once made it 535 MB and unreadable. A body up
 * to BODY_INLINE_BYTES stays inline; a longer one is written once to artifacts/ under the sha256
 * of its UTF-8 bytes (artifacts.ts: exclusive-create temp file and rename, inside the store only),
 * and the record keeps {artifact: {hash, bytes}, preview}. The record digest (record-digest.ts)
 * covers that hash, so the ledger binds the body; every read re-hashes the file.
 *
 * Each body is also capped at MAX_BODY_BYTES before it is stored. Replies are already stopped at
 * 65,536 characters (runaway.ts: at most 192 KiB of UTF-8), so the cap cuts only what nothing else
 * bounds; a cut body says so in its record (`cut`: the whole body's size and sha256).
 */

/** Bodies up to this many UTF-8 bytes stay inline in store.json. */
export const BODY_INLINE_BYTES = 4096;
/** No stored body is longer: one artifact holds at most this many bytes. */
export const MAX_BODY_BYTES = 262_144;
/** Characters of a body kept in the record, sanitised, so a reader of store.json sees what it is. */
export const PREVIEW_CHARS = 120;

/** What writes a body artifact: the store's putTextArtifact. */
export type PutText = (text: string) => Promise<ArtifactRef & { format: 'text' }>;
/** What reads one back, verifying its hash: the store's readTextArtifact. */
export type ReadText = (hash: string) => Promise<string>;

/** A transcript with every body as text (what replay and resume work from). */
export type TranscriptText = Omit<TranscriptRecord, 'prompt' | 'response' | 'thinking'> & { prompt: string; response: string; thinking?: string };

/** The record as it is stored: every body over BODY_INLINE_BYTES written to an artifact first. */
export async function storeBodies(t: TranscriptText, put: PutText): Promise<TranscriptRecord> {
  const prompt = await storeBody(t.prompt, put);
  const response = await storeBody(t.response, put);
  const thinking = t.thinking === undefined ? undefined : await storeBody(t.thinking, put);
  return { ...t, prompt, response, ...(thinking === undefined ? {} : { thinking }) };
}

export async function storeBody(text: string, put: PutText): Promise<TranscriptBody> {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.byteLength <= BODY_INLINE_BYTES) return text;
  const kept = bytes.byteLength <= MAX_BODY_BYTES ? text : utf8Prefix(bytes, MAX_BODY_BYTES);
  const artifact = await put(kept);
  return {
    artifact,
    preview: preview(text),
    ...(kept === text ? {} : { cut: { cap: MAX_BODY_BYTES, bytes: bytes.byteLength, sha256: sha256(bytes) } }),
  };
}

/** The body's text (an artifact is read and its hash checked). */
export async function bodyText(body: TranscriptBody, read: ReadText): Promise<string> {
  return typeof body === 'string' ? body : await read(body.artifact.hash);
}

/** Every body of `t` as text; a missing or altered artifact throws (the store's read names the file). */
export async function transcriptText(t: TranscriptRecord, read: ReadText): Promise<TranscriptText> {
  const { prompt, response, thinking, ...rest } = t;
  return {
    ...rest,
    prompt: await bodyText(prompt, read),
    response: await bodyText(response, read),
    ...(thinking === undefined ? {} : { thinking: await bodyText(thinking, read) }),
  };
}

export const isBodyRef = (b: TranscriptBody | undefined): b is TranscriptBodyRef => b !== undefined && typeof b !== 'string';

/**
 * One line, no controls, PREVIEW_CHARS characters with the closing ellipsis (a record is read with any
 * text viewer). Only bodies over 4096 bytes get one, so there is always more than it shows.
 */
function preview(text: string): string {
  // Counted in code points, so a cut never leaves half a surrogate pair.
  const head = Array.from(text.slice(0, PREVIEW_CHARS * 2)).filter((c) => !/^[\ud800-\udfff]$/.test(c)).join('');
  return `${Array.from(safeText(head).replace(/\s+/g, ' ').trim()).slice(0, PREVIEW_CHARS - 1).join('')}…`;
}

/** The longest prefix of `bytes` of at most `max` bytes that ends on a character boundary, as text. */
function utf8Prefix(bytes: Buffer, max: number): string {
  let end = max;
  // A UTF-8 continuation byte is 10xxxxxx: back up to the start of the character it belongs to.
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end -= 1;
  return bytes.subarray(0, end).toString('utf8');
}

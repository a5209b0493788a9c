import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { missingArtifacts } from '../../src/core/store/artifacts.ts';
import { TranscriptRecordSchema, type ArtifactRef } from '../../src/core/store/schema.ts';
import { openStore } from '../../src/core/store/store.ts';
import { BODY_INLINE_BYTES, MAX_BODY_BYTES, storeBodies, storeBody, transcriptText, type TranscriptText } from '../../src/core/store/transcript-bodies.ts';

const root = mkdtempSync(join(tmpdir(), 'gauntlet-bodies-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => join(root, `db${n++}`);

/** sha256 by node:crypto directly, not through the code under test. */
const hashOf = (text: string): string => createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex');

/** A writer that keeps what it was given, standing in for the store. */
function memory(): { put: (t: string) => Promise<ArtifactRef & { format: 'text' }>; kept: Map<string, string> } {
  const kept = new Map<string, string>();
  return { kept, put: async (t) => { const h = hashOf(t); kept.set(h, t); return { hash: h, format: 'text', bytes: Buffer.byteLength(t, 'utf8') }; } };
}

const transcript = (prompt: string, response: string, thinking?: string): TranscriptText => ({
  id: 's1-llm1', session: 's1', created_at: '2026-12-04T10:00:00.000Z', role: 'reviewer', model: 'm', model_digest: null, options: {},
  prompt_hash: hashOf(prompt), prompt, response, attempt: 1, started_at: '2026-12-04T10:00:00.000Z', ms: 5, outcome: 'ok', detail: null,
  ...(thinking === undefined ? {} : { thinking }),
});

describe('transcript bodies (large ones go to content-addressed artifacts)', () => {
  it('keeps a body of up to 4096 UTF-8 bytes inline, and moves a longer one (counted in bytes, not characters)', async () => {
    const m = memory();
    expect(BODY_INLINE_BYTES).toBe(4096);
    expect(await storeBody('a'.repeat(4096), m.put)).toBe('a'.repeat(4096));
    const long = 'a'.repeat(4097);
    expect(await storeBody(long, m.put)).toEqual({ artifact: { hash: hashOf(long), format: 'text', bytes: 4097 }, preview: `${'a'.repeat(119)}…` });
    // 2049 two-byte characters: 4098 bytes, so an artifact although under 4096 characters.
    const accented = 'é'.repeat(2049);
    expect(await storeBody(accented, m.put)).toMatchObject({ artifact: { hash: hashOf(accented), bytes: 4098 } });
    expect([...m.kept.values()]).toEqual([long, accented]);
  });

  it('the preview is one sanitised line: no escape sequence, control or bidi character survives', async () => {
    const m = memory();
    const body = `\u001b]0;TITLE\u0007line one\r\nline\ttwo \u202eRLO ${'x'.repeat(5000)}`;
    const ref = await storeBody(body, m.put);
    expect(typeof ref).toBe('object');
    const preview = (ref as { preview: string }).preview;
    expect(preview.startsWith('line one line two \\u202eRLO xxx')).toBe(true);
    expect(preview).toHaveLength(120);
    // eslint-disable-next-line no-control-regex -- the assertion looks for control characters
    expect(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u.test(preview)).toBe(false);
    // Astral characters (two UTF-16 units each) are never cut in half: 119 of them and the ellipsis.
    const emoji = (await storeBody('😀'.repeat(3000), m.put)) as { preview: string };
    expect(emoji.preview).toBe(`${'😀'.repeat(119)}…`);
  });

  it('caps a body at 256 KiB before storing it, on a character boundary, and the record says so with the whole body’s size and hash', async () => {
    const m = memory();
    expect(MAX_BODY_BYTES).toBe(262_144);
    // A three-byte character: the largest whole prefix under the cap is floor(262144 / 3) × 3 = 262143 bytes.
    const euros = '€'.repeat(100_000);
    const ref = await storeBody(euros, m.put);
    expect(ref).toEqual({
      artifact: { hash: hashOf('€'.repeat(87_381)), format: 'text', bytes: 262_143 },
      preview: expect.any(String),
      cut: { cap: 262_144, bytes: 300_000, sha256: hashOf(euros) },
    });
    expect(m.kept.get(hashOf('€'.repeat(87_381)))).toBe('€'.repeat(87_381));
  });

  it('through a real store: written once under its sha256, read back byte for byte, re-hashed by --verify; older inline records still parse', async () => {
    const dir = fresh();
    const store = await openStore(dir);
    const prompt = `{"messages":"${'p'.repeat(6000)}"}`;
    const reply = `{"diagnosis":"${'r'.repeat(5000)}"}`;
    const t = transcript(prompt, reply, 'short thought');
    const stored = await storeBodies(t, (x) => store.putTextArtifact(x));
    // Twice the same body: one file.
    await storeBodies({ ...t, id: 's1-llm2' }, (x) => store.putTextArtifact(x));
    await store.transaction((tx) => { tx.append('transcripts', stored); });
    await store.close();
    expect(stored.thinking).toBe('short thought');
    const file = join(dir, 'artifacts', hashOf(prompt).slice(0, 2), `${hashOf(prompt)}.txt`);
    expect(readFileSync(file, 'utf8')).toBe(prompt);
    expect(readdirSync(join(dir, 'artifacts')).flatMap((d) => readdirSync(join(dir, 'artifacts', d)))).toHaveLength(2);
    // store.json holds the hashes, not the bodies.
    const text = readFileSync(join(dir, 'store.json'), 'utf8');
    expect(text).not.toContain('p'.repeat(200));
    expect(text).toContain(hashOf(prompt));

    const again = await openStore(dir, { readonly: true });
    const rec = again.get('transcripts', 's1-llm1')!;
    expect(await transcriptText(rec, (h) => again.readTextArtifact(h))).toEqual(t);
    expect(await missingArtifacts(dir, again.data)).toEqual([]);
    // One byte changed, the size kept: --verify re-hashes text artifacts and says so; a read refuses it.
    const bytes = readFileSync(file);
    bytes.writeUInt8(bytes.readUInt8(10) ^ 1, 10);
    writeFileSync(file, bytes);
    expect(await missingArtifacts(dir, again.data)).toEqual([`${file}: artifact content does not match its hash (sha256 is ${createHash('sha256').update(bytes).digest('hex')}): the file was changed`]);
    await expect(transcriptText(rec, (h) => again.readTextArtifact(h))).rejects.toThrow(`${file}: artifact content does not match its hash`);
    rmSync(file);
    expect(await missingArtifacts(dir, again.data)).toEqual([`${file}: artifact is missing (the store refers to it, but the file is gone)`]);
    expect(existsSync(file)).toBe(false);

    // A record written before bodies moved out (text inline) parses as it is; a reference with a stray field does not.
    expect(TranscriptRecordSchema.safeParse(transcript('x'.repeat(9000), 'y'.repeat(9000))).success).toBe(true);
    expect(TranscriptRecordSchema.safeParse({ ...stored, prompt: { ...(stored.prompt as object), extra: 1 } }).success).toBe(false);
    expect(TranscriptRecordSchema.safeParse({ ...stored, prompt: { ...(stored.prompt as { artifact: object }), artifact: { hash: hashOf(prompt), format: 'json', bytes: 1 } } }).success).toBe(false);
  });
});

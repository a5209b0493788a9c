import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { OllamaClient } from '../../src/agents/ollama/ollama-client.ts';
import { InvalidReply, Timeout, Truncated } from '../../src/agents/ollama/errors.ts';
import { structuredCall } from '../../src/agents/ollama/structured.ts';
import type { TranscriptEntry } from '../../src/agents/ollama/structured.ts';
import { canonicalJson } from '../../src/core/spec/hash.ts';
import { FAKE_MODEL, scenarios, startFakeOllama } from '../support/fake-ollama.ts';
import type { FakeOllama } from '../support/fake-ollama.ts';

const MODEL = 'fake-model';
const Wire = z.object({ order: z.array(z.string()), mood: z.enum(['calm', 'wild']), count: z.int() });
// The full schema adds what the grammar cannot express: a cross-field rule.
const Full = Wire.refine((v) => v.order.length === v.count, { message: 'count must equal the number of ids', path: ['count'] });
const GOOD = { order: ['b', 'a'], mood: 'calm', count: 2 };

let fake: FakeOllama;
beforeAll(async () => {
  fake = await startFakeOllama();
});
afterAll(() => fake.close());
afterEach(() => {
  expect(fake.pending()).toBe(0);
});

const chatRequests = (from: number): Array<Record<string, unknown>> =>
  fake.requests.slice(from).filter((r) => r.url === '/api/chat').map((r) => r.body);

function call(extra: { maxRetries?: number; signal?: AbortSignal; client?: OllamaClient } = {}) {
  return structuredCall({
    client: extra.client ?? new OllamaClient({ host: fake.url, timeouts: { firstByteMs: 5_000, idleMs: 5_000 } }),
    model: MODEL, role: 'director', system: 'You rank candidates.', prompt: 'Rank b and a.',
    wireSchema: Wire, fullSchema: Full, seed: 42,
    ...(extra.maxRetries === undefined ? {} : { maxRetries: extra.maxRetries }),
    ...(extra.signal ? { signal: extra.signal } : {}),
  });
}

describe('structuredCall: replies that parse', () => {
  for (const [name, make] of [['valid', scenarios.valid], ['fenced', scenarios.fenced], ['prose', scenarios.prose], ['padded', scenarios.padded]] as const) {
    it(`${name} → the value, first attempt`, async () => {
      fake.script(make(GOOD));
      const r = await call();
      expect(r.value).toEqual(GOOD);
      expect(r.attempts).toBe(1);
      expect(r.transcript.map((t) => t.outcome)).toEqual(['ok']);
    });
  }

  it('small syntax slips are repaired (single quotes, trailing comma)', async () => {
    fake.script({ kind: 'reply', chunks: ["{'order': ['b', 'a'], 'mood': 'calm', 'count': 2,}"] });
    expect((await call()).value).toEqual(GOOD);
  });
});

describe('structuredCall: request shape', () => {
  it('sends the wire JSON schema as format, temperature 0 and the seed, streamed', async () => {
    const from = fake.requests.length;
    fake.script(scenarios.valid(GOOD));
    await call();
    const [body] = chatRequests(from);
    expect(body?.model).toBe(MODEL);
    expect(body?.stream).toBe(true);
    expect(body?.options).toEqual({ temperature: 0, seed: 42 });
    expect(body?.format).toEqual({
      type: 'object',
      properties: {
        order: { type: 'array', items: { type: 'string' } },
        mood: { type: 'string', enum: ['calm', 'wild'] },
        count: { type: 'integer' }, // z.int()'s ±MAX_SAFE_INTEGER bounds are dropped
      },
      required: ['order', 'mood', 'count'],
      additionalProperties: false,
    });
    const messages = body?.messages as Array<{ role: string; content: string }>;
    expect(messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(messages[1]?.content).toContain('"enum":["calm","wild"]'); // the schema is in the prompt too
  });

  it('transcript: prompt_hash is the sha256 of the canonical request the server received', async () => {
    const from = fake.requests.length;
    const client = new OllamaClient({ host: fake.url });
    await client.status(MODEL); // learns the digest
    fake.script(scenarios.valid(GOOD));
    const r = await call({ client });
    const { stream: _stream, ...asked } = chatRequests(from)[0] ?? {};
    const canonical = canonicalJson(asked);
    const [t] = r.transcript;
    expect(t?.request).toBe(canonical);
    expect(t?.prompt_hash).toBe(createHash('sha256').update(canonical).digest('hex'));
    expect(t).toMatchObject({ role: 'director', model: MODEL, model_digest: FAKE_MODEL.digest, options: { temperature: 0, seed: 42 }, outcome: 'ok', detail: null });
    expect(t?.response).toBe(JSON.stringify(GOOD));
    expect(Number.isNaN(Date.parse(t?.started_at ?? ''))).toBe(false);
    expect(t?.ms).toBeGreaterThanOrEqual(0);
  });
});

describe('structuredCall: retries', () => {
  it('wrong types → two retries, each carrying the validation error → InvalidReply', async () => {
    const from = fake.requests.length;
    const wrong = { order: 'b,a', mood: 'angry', count: '2' };
    fake.script(scenarios.valid(wrong), scenarios.valid(wrong), scenarios.valid(wrong));
    const err = await call().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidReply);
    expect((err as InvalidReply).attempts).toBe(3);
    expect((err as InvalidReply).issues.map((i) => i.split(':')[0])).toEqual(['order', 'mood', 'count']);
    const bodies = chatRequests(from);
    expect(bodies).toHaveLength(3);
    for (const [i, body] of bodies.entries()) {
      const messages = body.messages as Array<{ role: string; content: string }>;
      expect(messages).toHaveLength(2 + 2 * i); // each retry adds the bad reply and the correction
      if (i > 0) {
        expect(messages.at(-2)).toEqual({ role: 'assistant', content: JSON.stringify(wrong) });
        expect(messages.at(-1)?.content).toContain('mood: Invalid option: expected one of "calm"|"wild"');
      }
    }
  });

  it('valid only on the second try → the value, 2 attempts, both in the transcript', async () => {
    fake.script(scenarios.valid({ order: ['a'], mood: 'calm', count: 5 }), scenarios.valid(GOOD));
    const r = await call();
    expect(r.value).toEqual(GOOD);
    expect(r.attempts).toBe(2);
    expect(r.transcript.map((t) => t.outcome)).toEqual(['invalid', 'ok']);
    expect(r.transcript[0]?.detail).toBe('count: count must equal the number of ids'); // the full schema's refinement
    expect(r.transcript[0]?.prompt_hash).not.toBe(r.transcript[1]?.prompt_hash);
  });

  it('no JSON at all → InvalidReply naming that', async () => {
    fake.script(...Array.from({ length: 3 }, () => ({ kind: 'reply' as const, chunks: ['I cannot help with that.'] })));
    const err = await call().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidReply);
    expect((err as InvalidReply).issues).toEqual(['the reply contains no JSON object']);
  });

  it('truncated → retried with a note; truncated every time → Truncated', async () => {
    const from = fake.requests.length;
    fake.script(scenarios.truncated(GOOD), scenarios.truncated(GOOD), scenarios.truncated(GOOD));
    const err = await call().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Truncated);
    expect((err as Truncated).attempts).toBe(3);
    const last = chatRequests(from).at(-1)?.messages as Array<{ content: string }>;
    expect(last.at(-1)?.content).toContain('cut off');
  });

  it('truncated once, then complete → the value', async () => {
    fake.script(scenarios.truncated(GOOD), scenarios.valid(GOOD));
    const r = await call();
    expect(r.value).toEqual(GOOD);
    expect(r.transcript.map((t) => t.outcome)).toEqual(['truncated', 'ok']);
  });

  it('maxRetries 0 → one attempt only', async () => {
    fake.script(scenarios.valid({}));
    const err = await call({ maxRetries: 0 }).catch((e: unknown) => e);
    expect((err as InvalidReply).attempts).toBe(1);
  });

  it('a transport error is not retried, and is recorded', async () => {
    fake.script(scenarios.hang());
    const seen: TranscriptEntry[] = [];
    const err = await structuredCall({
      client: new OllamaClient({ host: fake.url, timeouts: { firstByteMs: 100 } }),
      model: MODEL, role: 'reviewer', system: 's', prompt: 'p', wireSchema: Wire, fullSchema: Full, seed: 7,
      onTranscript: (t) => seen.push(t),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Timeout);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ role: 'reviewer', outcome: 'error', response: '', detail: (err as Error).message });
  });
});

describe('wire schemas', () => {
  it('a wire schema the grammar cannot express is refused before any call', async () => {
    const from = fake.requests.length;
    const bad = z.object({ notes: z.record(z.string(), z.string()) });
    await expect(structuredCall({ client: new OllamaClient({ host: fake.url }), model: MODEL, role: 'x', system: '', prompt: '', wireSchema: bad, fullSchema: bad, seed: 1 }))
      .rejects.toThrow(/not grammar-friendly/);
    expect(fake.requests.length).toBe(from);
  });
});

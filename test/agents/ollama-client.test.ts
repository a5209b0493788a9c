import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { OllamaClient } from '../../src/agents/ollama/ollama-client.ts';
import { Aborted, ModelMissing, OllamaDown, StreamFailure, Timeout } from '../../src/agents/ollama/errors.ts';
import { FAKE_MODEL, closedPortUrl, scenarios, startFakeOllama } from '../support/fake-ollama.ts';
import type { FakeOllama } from '../support/fake-ollama.ts';

const MODEL = 'fake-model';
const msgs = [{ role: 'user', content: 'hi' }];
let fake: FakeOllama;

beforeAll(async () => {
  fake = await startFakeOllama();
});
afterAll(() => fake.close());
afterEach(() => {
  expect(fake.pending()).toBe(0); // every scripted reply was asked for
});

const client = (timeouts = {}): OllamaClient => new OllamaClient({ host: fake.url, timeouts: { connectMs: 2_000, firstByteMs: 5_000, idleMs: 5_000, ...timeouts } });

describe('OllamaClient.status', () => {
  it('ok: names the model and the digest from /api/tags', async () => {
    const c = client();
    const s = await c.status(MODEL);
    expect(s).toEqual({
      state: 'ok', model: MODEL, digest: FAKE_MODEL.digest, version: '0.12.3', label: `${MODEL}@${FAKE_MODEL.digest.slice(0, 12)}`,
      facts: { capabilities: ['completion', 'tools'], contextLength: 8192, family: 'llama', remoteHost: null },
    });
    expect(c.knownDigest(MODEL)).toBe(FAKE_MODEL.digest);
  });

  it('missing model: gives the exact pull command', async () => {
    expect(await client().status('llama9')).toEqual({ state: 'missing_model', message: 'model llama9 is not installed: run `ollama pull llama9`' });
  });

  it('down: nothing listening, reported fast', async () => {
    const host = await closedPortUrl();
    const t0 = Date.now();
    const s = await new OllamaClient({ host }).status(MODEL);
    expect(s).toEqual({ state: 'down', message: `Ollama is not running at ${host}` });
    expect(Date.now() - t0).toBeLessThan(2_000);
  });

  it('no structured output: a server older than 0.5.0', async () => {
    const old = await startFakeOllama({ version: '0.4.7' });
    try {
      const s = await new OllamaClient({ host: old.url }).status(MODEL);
      expect(s.state).toBe('no_structured_output');
      expect(s.state !== 'ok' && s.message).toContain('0.4.7');
    } finally {
      await old.close();
    }
  });

  it('no structured output: an embedding-only model', async () => {
    const emb = await startFakeOllama({ models: [{ name: 'embed:latest', digest: 'ff'.repeat(32), capabilities: ['embedding'] }] });
    try {
      expect(await new OllamaClient({ host: emb.url }).status('embed')).toEqual({ state: 'no_structured_output', message: 'model embed cannot generate text (capabilities: embedding)' });
    } finally {
      await emb.close();
    }
  });
});

describe('OllamaClient.chat', () => {
  it('streams: onChunk sees the text grow, the result is the whole reply', async () => {
    const text = '{"answer":"héllo wörld ✓ — streamed"}';
    fake.script(scenarios.valid(JSON.parse(text)));
    const seen: string[] = [];
    const r = await client().chat({ model: MODEL, messages: msgs, onChunk: (t) => seen.push(t) });
    // The fake reports the final chunk's counts as Ollama does: ns durations (1e6 ns = 1 ms, 1e3 ns → 0 ms),
    // the prompt at 4 characters a token ('hi' → 1), one eval per streamed piece (7 characters each).
    expect(r).toEqual({
      content: text, thinking: '', doneReason: 'stop', truncated: false, model: MODEL,
      usage: { prompt_tokens: 1, completion_tokens: Math.ceil([...text].length / 7), total_ms: 1, load_ms: 0 },
    });
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.at(-1)).toBe(text);
    seen.forEach((s, i) => i > 0 && expect(s.startsWith(seen[i - 1] ?? '')).toBe(true));
    expect(fake.requests.at(-1)?.body.stream).toBe(true);
  });

  it('done_reason length is flagged as truncated', async () => {
    fake.script(scenarios.truncated({ a: 'x'.repeat(40) }));
    const r = await client().chat({ model: MODEL, messages: msgs });
    expect(r.truncated).toBe(true);
    expect(r.doneReason).toBe('length');
  });

  it('404 for the model → ModelMissing with the pull command', async () => {
    const err = await client().chat({ model: 'llama9', messages: msgs }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelMissing);
    expect((err as Error).message).toBe('model llama9 is not installed: run `ollama pull llama9`');
  });

  it('an HTTP error before streaming → StreamFailure with the server message', async () => {
    fake.script({ kind: 'http_error', status: 503, error: 'server busy, please try again' });
    const err = await client().chat({ model: MODEL, messages: msgs }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StreamFailure);
    expect((err as Error).message).toContain('server busy');
  });

  it('an error line mid-stream → StreamFailure carrying it', async () => {
    fake.script(scenarios.midStreamError('an error was encountered while running the model'));
    const err = await client().chat({ model: MODEL, messages: msgs }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StreamFailure);
    expect((err as Error).message).toContain('an error was encountered while running the model');
  });

  it('a malformed NDJSON line → StreamFailure (not a silently shortened reply)', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      fake.script(scenarios.malformed({ a: 1 }));
      const err = await client().chat({ model: MODEL, messages: msgs }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StreamFailure);
      expect((err as Error).message).toContain('malformed NDJSON line');
    } finally {
      warn.mockRestore();
    }
  });

  it('a server that never answers → first-byte Timeout, quickly', async () => {
    fake.script(scenarios.hang());
    const t0 = Date.now();
    const err = await client({ firstByteMs: 150 }).chat({ model: MODEL, messages: msgs }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Timeout);
    expect((err as Timeout).which).toBe('first_byte');
    expect(Date.now() - t0).toBeLessThan(5_000);
  });

  it('a stream that stalls → idle Timeout', async () => {
    fake.script(scenarios.stall());
    const err = await client({ idleMs: 150 }).chat({ model: MODEL, messages: msgs }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Timeout);
    expect((err as Timeout).which).toBe('idle');
  });

  it('slow chunks within the idle gap → ok; gaps beyond it → idle Timeout', async () => {
    const value = { slow: 'but steady', n: 3 };
    fake.script(scenarios.slow(value, 40));
    const r = await client({ idleMs: 2_000 }).chat({ model: MODEL, messages: msgs });
    expect(JSON.parse(r.content)).toEqual(value);

    fake.script(scenarios.slow(value, 400));
    const err = await client({ idleMs: 100 }).chat({ model: MODEL, messages: msgs }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Timeout);
    expect((err as Timeout).which).toBe('idle');
  });

  it('user abort → Aborted, mid-stream', async () => {
    fake.script(scenarios.stall());
    const ac = new AbortController();
    const p = client().chat({ model: MODEL, messages: msgs, signal: ac.signal, onChunk: () => ac.abort() });
    await expect(p).rejects.toBeInstanceOf(Aborted);
  });

  it('an already-aborted signal → Aborted without calling the server', async () => {
    const before = fake.requests.length;
    const ac = new AbortController();
    ac.abort();
    await expect(client().chat({ model: MODEL, messages: msgs, signal: ac.signal })).rejects.toBeInstanceOf(Aborted);
    expect(fake.requests.length).toBe(before);
  });

  it('nothing listening → OllamaDown, fast', async () => {
    const host = await closedPortUrl();
    const t0 = Date.now();
    const err = await new OllamaClient({ host }).chat({ model: MODEL, messages: msgs }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OllamaDown);
    expect((err as Error).message).toBe(`Ollama is not running at ${host}`);
    expect(Date.now() - t0).toBeLessThan(2_000);
  });
});

describe('fake server', () => {
  it('close() returns even with a hanging request open', async () => {
    const f = await startFakeOllama();
    f.script(scenarios.hang());
    const p = new OllamaClient({ host: f.url }).chat({ model: MODEL, messages: msgs }).catch((e: unknown) => e);
    await vi.waitFor(() => expect(f.requests.some((r) => r.url === '/api/chat')).toBe(true), { timeout: 5_000, interval: 10 });
    await f.close();
    expect(await p).toBeInstanceOf(Error);
  });
});

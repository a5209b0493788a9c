/**
 * resolveAgents: --offline touches no network; otherwise one status check decides between the
 * model and the rules, with a line that says which and, when the rules answer, what to do.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferIo } from '../../src/commands/io.ts';
import { KEEP_ALIVE, parseTimeouts, pickModels, resolveAgents, type AgentsOptions } from '../../src/commands/agents-wiring.ts';
import { UserError } from '../../src/core/errors.ts';
import { FAKE_MODEL, closedPortUrl, startFakeOllama, type FakeOllama } from '../support/fake-ollama.ts';

const sink = { record: async () => undefined };
const opts = (o: Partial<AgentsOptions> & { env?: Record<string, string> } = {}): AgentsOptions => ({
  offline: false, io: bufferIo(o.env ?? {}), sink, seed: 1, ...o,
});
const DIGEST12 = FAKE_MODEL.digest.slice(0, 12);

let fake: FakeOllama;
beforeAll(async () => {
  fake = await startFakeOllama();
});
afterAll(() => fake.close());

describe('resolveAgents', () => {
  it('--offline: the rules, and not one request, even with a host and a model given', async () => {
    const before = fake.requests.length;
    const a = await resolveAgents(opts({ offline: true, ollama: fake.url, model: 'fake-model', env: { OLLAMA_HOST: fake.url } }));
    expect(fake.requests.length).toBe(before);
    expect(a).toMatchObject({ status: { state: 'offline' }, label: 'offline — rules', provenance: 'rules', message: null, model: null });
    expect((await a.director.rank({ meta: { style: 'other', holding_period: 'short', volatility_preference: 'any', market_type: 'equities' }, candidates: [], facts: [] }, {})).source).toBe('rules');
  });

  it('ok: the model with its digest as label and provenance, one status round (version, tags, show), then one load', async () => {
    const before = fake.requests.length;
    const a = await resolveAgents(opts({ ollama: fake.url, model: 'fake-model' }));
    expect(a.status).toEqual({ state: 'ok', model: 'fake-model', digest: FAKE_MODEL.digest });
    expect(a.label).toBe(`fake-model@${DIGEST12}`);
    expect(a.provenance).toBe(`ollama:fake-model@${DIGEST12}`);
    expect(a.line).toBe(`agents: ollama fake-model@${DIGEST12} at ${fake.url} (Ollama 0.12.3); a role whose call fails answers with its rules`);
    expect(fake.requests.slice(before).map((r) => r.url)).toEqual(['/api/version', '/api/tags', '/api/show', '/api/chat']);
    // The load: no messages, the session's keep_alive (Ollama's own 5 minutes would unload it between slow steps).
    expect(fake.requests.at(-1)!.body).toEqual({ model: 'fake-model', messages: [], keep_alive: KEEP_ALIVE, stream: false });
  });

  it('the host comes from --ollama, then OLLAMA_HOST in the environment given', async () => {
    const dead = await closedPortUrl();
    expect((await resolveAgents(opts({ model: 'fake-model', env: { OLLAMA_HOST: fake.url } }))).status.state).toBe('ok');
    expect((await resolveAgents(opts({ ollama: dead, model: 'fake-model', env: { OLLAMA_HOST: fake.url } }))).status.state).toBe('down');
  });

  it('Ollama down: the rules, fast, with what to do', async () => {
    const dead = await closedPortUrl();
    const t0 = Date.now();
    const a = await resolveAgents(opts({ ollama: dead, model: 'fake-model' }));
    expect(Date.now() - t0).toBeLessThan(1_500);
    expect(a.status.state).toBe('down');
    expect(a.message).toBe(`Ollama is not running at ${dead}: the session continues on the rules agents (start Ollama with \`ollama serve\`, or pass --offline)`);
    expect(a.line).toBe(a.message);
    expect(a.provenance).toBe('rules');
  });

  it('a missing model: the exact pull command', async () => {
    const a = await resolveAgents(opts({ ollama: fake.url, model: 'llama9' }));
    expect(a.status.state).toBe('missing_model');
    expect(a.message).toBe('model llama9 is not installed: run `ollama pull llama9`; the session continues on the rules agents');
  });

  it('a server without structured output (before 0.5.0): says so and continues on rules', async () => {
    const old = await startFakeOllama({ version: '0.4.7' });
    try {
      const a = await resolveAgents(opts({ ollama: old.url, model: 'fake-model' }));
      expect(a.status.state).toBe('no_structured_output');
      expect(a.message).toMatch(/Ollama 0\.4\.7 .* predates structured outputs \(0\.5\.0\): upgrade Ollama; the session continues on the rules agents/);
    } finally {
      await old.close();
    }
  });

  it('no --model: the most recently installed chat model, and the line says so', async () => {
    const many = await startFakeOllama({ models: [FAKE_MODEL, { name: 'newer:7b', digest: 'b'.repeat(64) }] });
    try {
      const a = await resolveAgents(opts({ ollama: many.url }));
      // The fake lists both with the same modified_at, so the tie goes by name: fake-model:latest < newer:7b.
      expect(a.status).toEqual({ state: 'ok', model: 'fake-model:latest', digest: FAKE_MODEL.digest });
      expect(a.line).toContain('\nno --model given: using fake-model:latest, the most recently installed local chat model (pass --model NAME to choose)');
    } finally {
      await many.close();
    }
  });

  it('no --model: a model whose capabilities lack completion is skipped, even when it sorts first', async () => {
    // Same modified_at, so by name 'bge-m3:latest' comes first; its name says nothing of embedding, its capabilities do.
    const mixed = await startFakeOllama({ models: [{ name: 'bge-m3:latest', digest: 'f'.repeat(64), capabilities: ['embedding'] }, FAKE_MODEL] });
    try {
      const a = await resolveAgents(opts({ ollama: mixed.url }));
      expect(a.status).toEqual({ state: 'ok', model: 'fake-model:latest', digest: FAKE_MODEL.digest });
      expect(mixed.requests.filter((r) => r.url === '/api/show').map((r) => r.body.model)).toEqual(['bge-m3:latest', 'fake-model:latest', 'fake-model:latest']);
    } finally {
      await mixed.close();
    }
  });

  it('no --model and no model installed: what to pull and what to pass', async () => {
    const empty = await startFakeOllama({ models: [] });
    try {
      const a = await resolveAgents(opts({ ollama: empty.url }));
      expect(a.status.state).toBe('no_model');
      expect(a.message).toBe(`no local chat model is installed at ${empty.url}: run \`ollama pull qwen3:8b\` (or any chat model) and pass --model NAME; the session continues on the rules agents`);
    } finally {
      await empty.close();
    }
  });

  it('a bad host is bad input, named', async () => {
    await expect(resolveAgents(opts({ ollama: 'ftp://x' }))).rejects.toThrow(/invalid Ollama host "ftp:\/\/x".*give a URL/);
  });
});

describe('pickModels and GAUNTLET_OLLAMA_TIMEOUTS', () => {
  it('pickModels: newest first, embedding models and cloud models never, ties by name', () => {
    const m = (name: string, modified_at: string, remoteHost: string | null = null) => ({ name, digest: 'd', modified_at, remoteHost });
    expect(pickModels([m('a:1b', '2025-01-01T00:00:00Z'), m('b:1b', '2025-03-01T00:00:00Z'), m('nomic-embed-text:latest', '2025-06-01T00:00:00Z')])).toEqual(['b:1b', 'a:1b']);
    expect(pickModels([m('z', '2025-01-01T00:00:00Z'), m('y', '2025-01-01T00:00:00Z')])).toEqual(['y', 'z']);
    expect(pickModels([m('mxbai-embed-large', '2025-01-01T00:00:00Z')])).toEqual([]);
    expect(pickModels([m('gpt-oss:120b-cloud', '2026-01-01T00:00:00Z', 'https://ollama.com:443'), m('a:1b', '2025-01-01T00:00:00Z')])).toEqual(['a:1b']);
  });

  it('parses any subset of connect, first_byte, idle, call; refuses anything else, naming the variable', () => {
    expect(parseTimeouts(undefined)).toEqual({});
    expect(parseTimeouts('call=600000')).toEqual({ callMs: 600_000 });
    expect(parseTimeouts('first_byte=300000, idle=60000')).toEqual({ firstByteMs: 300_000, idleMs: 60_000 });
    expect(parseTimeouts('connect=500,first_byte=1,idle=2')).toEqual({ connectMs: 500, firstByteMs: 1, idleMs: 2 });
    for (const bad of ['first_byte', 'idle=0', 'idle=1.5', 'slow=3', 'idle=-1']) {
      expect(() => parseTimeouts(bad), bad).toThrow(UserError);
      expect(() => parseTimeouts(bad), bad).toThrow(/^GAUNTLET_OLLAMA_TIMEOUTS: /);
    }
  });
});

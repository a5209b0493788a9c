/**
 * Whole `gauntlet research` sessions against the fake Ollama server (real HTTP on 127.0.0.1)
 * scripting what real local models and servers do: a whitespace runaway and a loop, a slow model
 * load, a thinking model (the `thinking` field, and `<think>` inside the content), a cloud model in
 * /api/tags, and a server that cut the prompt (a 200 with a small prompt_eval_count). Each session
 * ends with the right outcome and message within a bound, and code's steps match the same session
 * with no model (the fallbacks change who wrote the prose, never what code decided).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResearchEvent } from '../../src/core/research/events.ts';
import type { LedgerEntry } from '../../src/core/ledger/schema.ts';
import type { StoreData } from '../../src/core/store/schema.ts';
import { bufferIo } from '../../src/commands/io.ts';
import { runReplay, type ReplayReport } from '../../src/commands/research-replay.ts';
import { KEEP_ALIVE, resolveAgents } from '../../src/commands/agents-wiring.ts';
import { NUM_PREDICT, THINK_ALLOWANCE } from '../../src/agents/llm/ask.ts';
import { WHITESPACE_RUN } from '../../src/agents/ollama/runaway.ts';
import {
  FAKE_MODEL, REVIEW_REPLY, closedPortUrl, directorReply, roleResponder, scenarios, startFakeOllama, type FakeModel, type FakeOllama, type RoleResponder,
} from '../support/fake-ollama.ts';
import { GOOD_DRAFT, PLAIN_IDEA } from '../support/fake-ollama-server.ts';
import { startFakeOpenAi } from '../support/fake-openai.ts';
import { EDGE_MARKET, STACK_FRAME, cli, inproc, parseEvents, readStoreFile, summaryOf, workspace } from './helpers.ts';

const ws = workspace('local-models');
const market = join(ws.dir, 'edge');
const TIMEOUTS = 'connect=5000,first_byte=30000,idle=30000';

const good = {
  translator: () => scenarios.valid(GOOD_DRAFT),
  director: (body: Record<string, unknown>) => scenarios.valid(directorReply(body)),
  reviewer: () => scenarios.valid(REVIEW_REPLY),
};

beforeAll(async () => {
  expect((await inproc(['data', 'synth', ...EDGE_MARKET, '--out', market], ws.env)).code).toBe(0);
}, 60_000);
afterAll(() => ws.cleanup());

interface Session { code: number; events: ResearchEvent[]; data: StoreData | null; session: string; stderr: string; ms: number }

async function research(fake: FakeOllama, db: string, extra: string[], timeouts = TIMEOUTS, idea = PLAIN_IDEA, json = true): Promise<Session> {
  const t0 = Date.now();
  // The CLI as a process of its own, talking HTTP on 127.0.0.1 to the fake server in this one: two real processes.
  const r = await cli(['research', idea, '--universe', market, '--approve', 'all+promote', '--db', db, ...(json ? ['--json'] : []), ...extra],
    { ...ws.env, OLLAMA_HOST: fake.url, GAUNTLET_OLLAMA_TIMEOUTS: timeouts });
  expect(r.stderr).not.toMatch(STACK_FRAME);
  const events = json ? parseEvents(r.stdout) : [];
  const s = events.find((e) => e.event === 'session');
  return { code: r.code ?? -1, events, data: readStoreFile(db), session: s?.event === 'session' ? s.session : '', stderr: r.stderr, ms: Date.now() - t0 };
}

const notes = (events: ResearchEvent[]): string[] => events.flatMap((e) => (e.event === 'note' ? [e.text] : []));
const steps = (data: StoreData, session: string) => data.ledger.filter((e: LedgerEntry) => e.session === session)
  .map((e) => ({ kind: e.kind, action: e.action, cost: e.cost, credit: e.credit, balance: e.balance }));
const chatsOf = (fake: FakeOllama, from = 0) => fake.requests.slice(from).filter((q) => q.url === '/api/chat').map((q) => q.body);

let baseline: Session;
let fake: FakeOllama;
let model: RoleResponder;

describe('research on local models: what real servers do', () => {
  beforeAll(async () => {
    model = roleResponder({}, good);
    fake = await startFakeOllama({ respond: (body) => model.respond(body) });
    baseline = await research(fake, join(ws.dir, 'baseline'), ['--model', 'fake-model']);
    expect(baseline.code, baseline.stderr).toBe(0);
  }, 120_000);
  afterAll(() => fake.close());

  it('a whitespace runaway and a loop: each stopped at once, the rules answer, the breaker then spares every later review; same steps', async () => {
    model = roleResponder({ reviewer: [scenarios.whitespaceRunaway(), scenarios.loop()] }, good);
    const s = await research(fake, join(ws.dir, 'runaway'), ['--model', 'fake-model']);
    expect(s.code, s.stderr).toBe(0);
    // Streaming forever, yet the session is done in seconds: nothing waited for num_predict or a timeout.
    expect(s.ms).toBeLessThan(30_000);
    const fell = notes(s.events).filter((n) => n.startsWith('reviewer: '));
    expect(fell).toHaveLength(2);
    expect(fell[0]).toMatch(/^reviewer: the model failed \(the model's output ran away \(a run of whitespace, (\d+) characters\): stopped\); the rules answered \(transcripts s1-1-llm\d+\)$/);
    const run = Number(/whitespace, (\d+) characters/.exec(fell[0]!)![1]);
    expect(run).toBeGreaterThanOrEqual(WHITESPACE_RUN);
    expect(fell[1]).toMatch(/^reviewer: the model failed \(the model's output ran away \(the same 21 character\(s\) repeated, 1200 characters\): stopped\); the rules answered \(transcripts s1-1-llm\d+\)\nreviewer: 2 calls in a row failed: the rules answer the reviewer for the rest of this session, without asking the model$/);
    // 'the edge is real and ' is 21 characters: the loop was found at its true period.
    expect('the edge is real and '.length).toBe(21);
    expect(model.calls.reviewer).toBe(2);
    expect(s.events.filter((e) => e.event === 'review').every((e) => e.event === 'review' && e.source === 'rules')).toBe(true);
    expect(steps(s.data!, s.session)).toEqual(steps(baseline.data!, baseline.session));
    const ts = s.data!.transcripts.filter((t) => t.role === 'reviewer');
    expect(ts.map((t) => t.outcome)).toEqual(['error', 'error']);
  }, 120_000);

  it('a thinking model: think is off for the structured roles; reasoning in the thinking field and in <think> is kept out of the JSON and stored', async () => {
    const thinker: FakeModel = { name: 'qwen3:8b', digest: 'c'.repeat(64), capabilities: ['completion', 'tools', 'thinking'] };
    const THOUGHT = 'Candidates [c1, c2] look similar; {"order": ["c2"]} would be wrong because';
    const m = roleResponder({}, {
      translator: () => scenarios.thinking(GOOD_DRAFT, THOUGHT),
      director: (body) => scenarios.thinking(directorReply(body), THOUGHT),
      // An older server or template: the reasoning arrives inside the content, brackets and all.
      reviewer: () => scenarios.thinkInContent(REVIEW_REPLY, THOUGHT),
    });
    const own = await startFakeOllama({ models: [thinker], respond: (body) => m.respond(body) });
    try {
      const s = await research(own, join(ws.dir, 'thinking'), ['--model', 'qwen3:8b']);
      expect(s.code, s.stderr).toBe(0);
      const source = `ollama:qwen3:8b@${'c'.repeat(12)}`;
      expect(s.events.find((e) => e.event === 'translation')).toMatchObject({ source, summary: GOOD_DRAFT.summary });
      const reviews = s.events.flatMap((e) => (e.event === 'review' ? [e] : []));
      expect(reviews.length).toBeGreaterThan(0);
      expect(reviews.map((r) => [r.source, r.diagnosis])).toEqual(reviews.map(() => [source, REVIEW_REPLY.diagnosis]));
      expect(notes(s.events).filter((n) => / the rules answered/.test(n))).toEqual([]);
      const asked = chatsOf(own).filter((b) => (b.messages as unknown[]).length > 0);
      expect(asked.map((b) => b.think)).toEqual(asked.map(() => false));
      expect(asked.map((b) => b.keep_alive)).toEqual(asked.map(() => KEEP_ALIVE));
      expect(asked.map((b) => b.truncate)).toEqual(asked.map(() => false));
      const ts = s.data!.transcripts.filter((t) => t.session === s.session);
      expect(ts.filter((t) => t.role === 'director').map((t) => t.thinking)).toEqual(ts.filter((t) => t.role === 'director').map(() => THOUGHT));
      expect(ts.every((t) => t.think === false && t.server?.kind === 'ollama' && t.server.version === '0.12.3')).toBe(true);
      // Inside the content, the reasoning stays in the raw response (the transcript keeps what the model wrote).
      // (A reply this short stays inline in the record: bodies over 4096 bytes go to artifacts.)
      expect(ts.filter((t) => t.role === 'reviewer').every((t) => typeof t.response === 'string' && t.response.startsWith(`<think>${THOUGHT}</think>`))).toBe(true);
      expect(steps(s.data!, s.session)).toEqual(steps(baseline.data!, baseline.session));
    } finally {
      await own.close();
    }
    // With the server gone, the replay asks the same requests (think and num_ctx read back from the transcripts) and writes the same ledger.
    const io = bufferIo(ws.env, ws.dir);
    const code = await runReplay('s1-1', { db: join(ws.dir, 'thinking'), json: true, io });
    const report = JSON.parse(io.stdout()) as ReplayReport;
    expect(report).toMatchObject({ identical: true, first_difference: null, transcript_mismatches: 0, transcripts_unused: 0 });
    expect(code).toBe(0);
  }, 120_000);

  it('gpt-oss cannot turn thinking off: it gets think "low" and num_predict raised by the thinking allowance', async () => {
    const oss: FakeModel = { name: 'gpt-oss:20b', digest: 'd'.repeat(64), capabilities: ['completion', 'tools', 'thinking'], family: 'gptoss' };
    const own = await startFakeOllama({ models: [oss], respond: (body) => scenarios.valid(directorReply(body)) });
    try {
      const a = await resolveAgents({ offline: false, io: bufferIo({}), sink: { record: async () => undefined }, seed: 1, ollama: own.url, model: 'gpt-oss:20b' });
      const r = await a.director.rank({
        meta: { style: 'mean_reversion', holding_period: 'short', volatility_preference: 'any', market_type: 'equities' }, facts: [],
        candidates: [{ id: 'add_symbol:A@1d', action: 'add_symbol', cost: 5, detail: 'A', rationale: 'r' }] as never,
      }, {});
      expect(r.source).toBe(`ollama:gpt-oss:20b@${'d'.repeat(12)}`);
      const body = chatsOf(own).at(-1)!;
      expect(body.think).toBe('low');
      expect(body.options).toEqual({ temperature: 0, seed: 1, num_ctx: 8192, num_predict: NUM_PREDICT.director! + THINK_ALLOWANCE });
    } finally {
      await own.close();
    }
  });

  it('a slow load: announced, paid once at the start under the first-byte timeout, then every call is the model\'s', async () => {
    const slow = await startFakeOllama({ loadMs: 1_500, respond: (body) => model.respond(body) });
    model = roleResponder({}, good);
    try {
      const s = await research(slow, join(ws.dir, 'slow-load'), ['--model', 'fake-model'], 'connect=5000,first_byte=6000,idle=30000');
      expect(s.code, s.stderr).toBe(0);
      const n = notes(s.events);
      expect(n[0]).toBe('loading fake-model into memory (the first call after Ollama starts can take a minute)…');
      expect(n[1]).toMatch(/^loaded fake-model in (1\.[5-9]|[2-5]\.\d) s$/);
      expect(n[2]).toMatch(/^agents: ollama fake-model@/);
      expect(n.filter((x) => / the rules answered/.test(x))).toEqual([]);
      expect(steps(s.data!, s.session)).toEqual(steps(baseline.data!, baseline.session));
    } finally {
      await slow.close();
    }
  }, 120_000);

  it('a load slower than the first-byte timeout: the rules answer the session, said once, and no role asks the model', async () => {
    const cold = await startFakeOllama({ loadMs: 10_000, respond: (body) => model.respond(body) });
    model = roleResponder({}, good);
    try {
      // An idea the rule parser reads, so the session runs on the rules from start to end.
      const s = await research(cold, join(ws.dir, 'cold-load'), ['--model', 'fake-model'], 'connect=2000,first_byte=800,idle=800', 'buy when rsi(2) < 50; sell when rsi(2) > 50');
      expect(s.code, s.stderr).toBe(0);
      expect(s.ms).toBeLessThan(30_000);
      const n = notes(s.events);
      // It failed before the 1 s notice was due, so the failure is the first line.
      expect(n[0]).toBe(`model fake-model did not load: Ollama at ${cold.url}: first-byte timeout after 800 ms (a larger model needs longer: ` +
        'raise first_byte in GAUNTLET_OLLAMA_TIMEOUTS, e.g. first_byte=300000); the session continues on the rules agents');
      expect(chatsOf(cold).filter((b) => (b.messages as unknown[]).length > 0)).toEqual([]);
      expect(s.events.find((e) => e.event === 'translation')).toMatchObject({ source: 'rules' });
      expect(['DEAD', 'FROZEN', 'KILLED', 'PROMOTED']).toContain(summaryOf(s.events).status);
    } finally {
      await cold.close();
    }
  }, 120_000);

  it('a cloud model in /api/tags: never chosen automatically; named explicitly, it is used with a warning in the line, the header label and every transcript', async () => {
    const cloud: FakeModel = { name: 'gpt-oss:120b-cloud', digest: 'e'.repeat(64), capabilities: ['completion', 'tools'], remoteHost: 'https://ollama.com:443' };
    const local: FakeModel = { ...FAKE_MODEL };
    const both = await startFakeOllama({ models: [cloud, local], respond: (body) => model.respond(body) });
    model = roleResponder({}, good);
    try {
      // The cloud model sorts first by name (same modified_at); the local one is still the one picked.
      const auto = await research(both, join(ws.dir, 'cloud-auto'), []);
      expect(auto.code, auto.stderr).toBe(0);
      expect(notes(auto.events)[0]).toBe(`agents: ollama fake-model:latest@${FAKE_MODEL.digest.slice(0, 12)} at ${both.url} (Ollama 0.12.3); a role whose call fails answers with its rules\n` +
        'no --model given: using fake-model:latest, the most recently installed local chat model (pass --model NAME to choose)');
      expect(chatsOf(both).every((b) => b.model === 'fake-model:latest')).toBe(true);

      const a = await resolveAgents({ offline: false, io: bufferIo({}), sink: { record: async () => undefined }, seed: 1, ollama: both.url, model: 'gpt-oss:120b-cloud' });
      expect(a.label).toBe(`gpt-oss:120b-cloud@${'e'.repeat(12)} (cloud)`);
      expect(a.line).toBe(`agents: ollama gpt-oss:120b-cloud@${'e'.repeat(12)} (cloud) at ${both.url} (Ollama 0.12.3); a role whose call fails answers with its rules\n` +
        'warning: gpt-oss:120b-cloud is an Ollama cloud model: it runs at https://ollama.com:443, so the ideas and prompts leave this machine');
    } finally {
      await both.close();
    }
    const onlyCloud = await startFakeOllama({ models: [cloud] });
    try {
      const a = await resolveAgents({ offline: false, io: bufferIo({}), sink: { record: async () => undefined }, seed: 1, ollama: onlyCloud.url });
      expect(a.message).toBe(`no local chat model is installed at ${onlyCloud.url}: run \`ollama pull qwen3:8b\` (or any chat model) and pass --model NAME ` +
        '(cloud models are never chosen automatically: name one with --model to use it); the session continues on the rules agents');
      expect(onlyCloud.requests.filter((q) => q.url === '/api/chat')).toEqual([]);
    } finally {
      await onlyCloud.close();
    }
  }, 120_000);

  it('a cloud model named explicitly: the transcripts record where it ran', async () => {
    const cloud: FakeModel = { name: 'gpt-oss:120b-cloud', digest: 'e'.repeat(64), capabilities: ['completion', 'tools'], remoteHost: 'https://ollama.com:443' };
    const own = await startFakeOllama({ models: [cloud], respond: (body) => model.respond(body) });
    model = roleResponder({}, good);
    try {
      const s = await research(own, join(ws.dir, 'cloud-named'), ['--model', 'gpt-oss:120b-cloud', '--budget', '30']);
      expect(s.code, s.stderr).toBe(0);
      expect(notes(s.events)[0]).toContain('\nwarning: gpt-oss:120b-cloud is an Ollama cloud model: it runs at https://ollama.com:443, so the ideas and prompts leave this machine');
      const ts = s.data!.transcripts.filter((t) => t.session === s.session);
      expect(ts.length).toBeGreaterThan(0);
      expect(ts.every((t) => t.server?.remote_host === 'https://ollama.com:443')).toBe(true);
    } finally {
      await own.close();
    }
  }, 120_000);

  it('a server that cut the prompt (200, small prompt_eval_count): not used; the translation fails with both reasons, exit 2', async () => {
    model = roleResponder({ translator: [scenarios.cutPrompt(GOOD_DRAFT, 1024)] }, good);
    const s = await research(fake, join(ws.dir, 'cut'), ['--model', 'fake-model'], TIMEOUTS, PLAIN_IDEA, false);
    expect(s.code).toBe(2);
    expect(s.stderr).toMatch(/\nThe model could not translate it either: translator: the server read only 1024 tokens of a prompt of about (\d+): it cut the prompt to fit the context window of 8192 tokens \(num_ctx\), so the reply was not used \(transcripts s1-1-llm1\)\n$/);
    const estimate = Number(/of about (\d+)/.exec(s.stderr)![1]);
    // Independently: the prompt the fake received, at 3 characters a token, is what the estimate says (plus the template's few).
    const body = chatsOf(fake).filter((b) => (b.messages as unknown[]).length > 0).at(-1)!;
    const chars = (body.messages as Array<{ content: string }>).reduce((n, m) => n + m.content.length, 0);
    expect(estimate).toBe(Math.ceil(chars / 3) + 8 * 2 + 32);
    expect(estimate * 0.5).toBeGreaterThan(1024);
  }, 120_000);

  it('an idea too long for the context window: refused before it is sent, naming the window; exit 2', async () => {
    model = roleResponder({}, good);
    const long = `${PLAIN_IDEA} ${'Also consider the broader market context and what it implies. '.repeat(400)}`;
    const from = fake.requests.length;
    const s = await research(fake, join(ws.dir, 'long'), ['--model', 'fake-model'], TIMEOUTS, long, false);
    expect(s.code).toBe(2);
    expect(s.stderr).toMatch(/\nThe model could not translate it either: translator: the prompt needs about \d+ tokens and the reply up to 2048, more than the context window of 8192 tokens \(num_ctx\): it was not sent \(transcripts s1-1-llm1\)\n$/);
    expect(chatsOf(fake, from).filter((b) => (b.messages as unknown[]).length > 0)).toEqual([]);
  }, 120_000);
});

describe('research on an OpenAI-compatible server (--llm openai)', () => {
  it('response_format json_schema on /v1: the model answers every role, the transcripts say openai, and the replay is byte-identical', async () => {
    const m = roleResponder({}, good);
    const oa = await startFakeOpenAi({ respond: (body) => m.respond(body) });
    const db = join(ws.dir, 'openai');
    let s: Session;
    try {
      s = await research(fake0(oa.url), db, ['--llm', 'openai', '--base-url', oa.url, '--model', 'local-model']);
      expect(s.code, s.stderr).toBe(0);
      expect(notes(s.events)[0]).toBe(`agents: openai:local-model at ${oa.url} (OpenAI-compatible server); a role whose call fails answers with its rules`);
      expect(s.events.find((e) => e.event === 'translation')).toMatchObject({ source: 'openai:local-model', summary: GOOD_DRAFT.summary });
      const reviews = s.events.flatMap((e) => (e.event === 'review' ? [e] : []));
      expect(reviews.map((r) => [r.source, r.diagnosis])).toEqual(reviews.map(() => ['openai:local-model', REVIEW_REPLY.diagnosis]));
      const asked = oa.requests.filter((q) => q.url === '/v1/chat/completions').map((q) => q.body);
      expect(asked.length).toBe(m.calls.translator + m.calls.director + m.calls.reviewer);
      for (const b of asked) {
        const rf = b.response_format as { type: string; json_schema: { name: string; strict: boolean; schema: { type: string } } };
        expect([rf.type, rf.json_schema.name, rf.json_schema.strict, rf.json_schema.schema.type]).toEqual(['json_schema', 'reply', true, 'object']);
        expect([b.temperature, b.seed, b.stream]).toEqual([0, 1, true]);
      }
      expect(asked.map((b) => b.max_tokens)).toEqual(asked.map((b) => {
        const system = (b.messages as Array<{ content: string }>)[0]!.content;
        return NUM_PREDICT[/^You are the (\w+)/.exec(system)![1]!.toLowerCase()];
      }));
      const ts = s.data!.transcripts.filter((t) => t.session === s.session);
      expect(ts.length).toBe(asked.length);
      expect(ts.every((t) => t.outcome === 'ok' && t.server?.kind === 'openai' && t.model_digest === null && t.usage?.prompt_tokens !== null)).toBe(true);
      expect(steps(s.data!, s.session)).toEqual(steps(baseline.data!, baseline.session));
    } finally {
      await oa.close();
    }
    const io = bufferIo(ws.env, ws.dir);
    const code = await runReplay(s.session, { db, json: true, io });
    expect(JSON.parse(io.stdout()) as ReplayReport).toMatchObject({ identical: true, first_difference: null, transcript_mismatches: 0, transcripts_unused: 0 });
    expect(code).toBe(0);
  }, 120_000);

  it('nothing listening at --base-url: the rules answer, said in one line; no --base-url: exit 2 naming the flag', async () => {
    const dead = `${await closedPortUrl()}/v1`;
    const a = await resolveAgents({ offline: false, io: bufferIo({}), sink: { record: async () => undefined }, seed: 1, llm: 'openai', baseUrl: dead, model: 'local-model' });
    expect(a.message).toBe(`OpenAI-compatible server is not running at ${dead}: the session continues on the rules agents`);
    expect(a.provenance).toBe('rules');
    await expect(resolveAgents({ offline: false, io: bufferIo({}), sink: { record: async () => undefined }, seed: 1, llm: 'openai' }))
      .rejects.toThrow('gauntlet: --llm openai needs the server\'s URL: pass --base-url URL (or set GAUNTLET_OPENAI_BASE_URL), e.g. http://127.0.0.1:1234/v1');
    await expect(resolveAgents({ offline: false, io: bufferIo({}), sink: { record: async () => undefined }, seed: 1, llm: 'lmstudio' }))
      .rejects.toThrow(/^gauntlet: --llm "lmstudio" is not a server kind: give ollama \(the default\) or openai/);
  });

  it('a refused server flag on the command line: exit 2 with the message, and no store written', async () => {
    for (const [flags, message] of [
      [['--llm', 'openai'], 'gauntlet: --llm openai needs the server\'s URL: pass --base-url URL (or set GAUNTLET_OPENAI_BASE_URL), e.g. http://127.0.0.1:1234/v1'],
      [['--llm', 'openai', '--base-url', 'ftp://x'], 'gauntlet: invalid --base-url "ftp://x" (from --base-url, GAUNTLET_OPENAI_BASE_URL or OPENAI_BASE_URL): give a URL such as http://127.0.0.1:1234/v1'],
      [['--llm', 'lmstudio'], 'gauntlet: --llm "lmstudio" is not a server kind: give ollama (the default) or openai (an OpenAI-compatible server: LM Studio, llama.cpp, vLLM)'],
    ] as const) {
      const db = join(ws.dir, `refused-${flags.join('-').replace(/[^a-z]/g, '')}`);
      const r = await inproc(['research', 'buy when rsi(2) < 10; sell when rsi(2) > 70', '--db', db, ...flags], ws.env);
      expect(r.code, flags.join(' ')).toBe(2);
      expect(r.stderr.trim()).toBe(message);
      expect(existsSync(db), flags.join(' ')).toBe(false);
    }
  });
});

/** research() takes a fake Ollama for OLLAMA_HOST; with --llm openai nothing may ask it, so a dead URL stands in. */
function fake0(url: string): FakeOllama {
  return { url: url.replace(/\/v1$/, '/nothing-here'), requests: [], script: () => undefined, pending: () => 0, close: async () => undefined };
}

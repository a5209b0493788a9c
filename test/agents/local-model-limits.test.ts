/**
 * The pieces that keep a real local model in bounds, each against independent values: the JSON
 * extraction with reasoning in the content, the loop detector's period, the think policy, the
 * breaker, the session's num_ctx, and the whole-call deadline through the fake server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Breaker } from '../../src/agents/llm/fallback.ts';
import { modelAgents } from '../../src/agents/llm/index.ts';
import { sessionNumCtx } from '../../src/agents/ollama/budget.ts';
import { Timeout } from '../../src/agents/ollama/errors.ts';
import { OllamaClient } from '../../src/agents/ollama/ollama-client.ts';
import { extractJson, withoutThinking } from '../../src/agents/ollama/reply.ts';
import { RunawayWatch, tailPeriod } from '../../src/agents/ollama/runaway.ts';
import { thinkPolicy } from '../../src/agents/ollama/think.ts';
import { scenarios, startFakeOllama, type FakeOllama } from '../support/fake-ollama.ts';
import { mulberry32 } from '../support/mulberry32.ts';
import { startFakeOpenAi } from '../support/fake-openai.ts';
import { OpenAiClient } from '../../src/agents/openai/openai-client.ts';

describe('reasoning in the content', () => {
  it('the issue\'s case: brackets in <think> are not the answer', () => {
    expect(extractJson('<think>Candidates [c1, c2] are close; maybe {"order":["c2"]}?</think>{"order":["c1","c2"],"notes":[]}'))
      .toEqual({ order: ['c1', 'c2'], notes: [] });
  });
  it('a template that opened the block leaves only </think>; an unclosed block is all reasoning', () => {
    expect(extractJson('Candidates [c1]. So:</think>\n{"a":1}')).toEqual({ a: 1 });
    expect(withoutThinking('{"a":1}<think>[1, 2, 3')).toBe('{"a":1}');
    expect(() => extractJson('<think>[1, 2, 3] and then I ran out')).toThrow('the reply contains no JSON object');
  });
});

describe('runaway output', () => {
  it('finds the loop\'s true period', () => {
    expect(tailPeriod('x'.repeat(50) + 'abc'.repeat(500), 1200, 200)).toBe(3);
    expect(tailPeriod('the edge is real and '.repeat(100), 1200, 200)).toBe(21);
    // Seeded random text has no period; a text built with period 90 has exactly that one.
    const rnd = mulberry32(5);
    const text = Array.from({ length: 1300 }, () => String.fromCharCode(33 + Math.floor(rnd() * 90))).join('');
    expect(tailPeriod(text, 1200, 200)).toBeNull();
    expect(tailPeriod(Array.from({ length: 1300 }, (_, i) => String.fromCharCode(33 + ((i * 7919) % 90))).join(''), 1200, 200)).toBe(90);
  });
  it('an indented JSON reply is not a runaway; 512 spaces are', () => {
    const indented = JSON.stringify({ notes: Array.from({ length: 40 }, (_, i) => ({ id: `c${i}`, justification: `reason ${i * 37}` })) }, null, 8);
    const w = new RunawayWatch();
    for (let i = 64; i <= indented.length; i += 64) expect(w.check(indented.slice(0, i))).toBeNull();
    expect(new RunawayWatch().check(`{"a": "${' '.repeat(512)}`)).toEqual({ what: 'a run of whitespace', chars: 512 });
  });
});

describe('think policy', () => {
  const caps = ['completion', 'thinking'];
  it('off for a thinking model, low for gpt-oss, unsent for others and for servers before 0.9.0', () => {
    expect(thinkPolicy({ capabilities: caps, family: 'qwen3' }, '0.12.3', 'qwen3:8b')).toBe(false);
    expect(thinkPolicy({ capabilities: caps, family: 'gptoss' }, '0.12.3', 'gpt-oss:20b')).toBe('low');
    expect(thinkPolicy({ capabilities: ['completion'], family: 'llama' }, '0.12.3', 'llama3.2')).toBeUndefined();
    expect(thinkPolicy({ capabilities: null, family: null }, '0.12.3', 'qwen3:8b')).toBeUndefined();
    expect(thinkPolicy({ capabilities: caps, family: 'qwen3' }, '0.8.0', 'qwen3:8b')).toBeUndefined();
  });
});

describe('breaker and num_ctx', () => {
  it('opens on the second failure in a row, not on failures an answer separates', () => {
    const b = new Breaker();
    expect([b.record(false), b.open, b.record(true), b.record(false), b.open, b.record(false), b.open]).toEqual([false, false, false, false, false, true, true]);
  });
  it('num_ctx: 16384 when the model allows it, its own window when smaller, 8192 when unknown', () => {
    expect([sessionNumCtx(131072), sessionNumCtx(4096), sessionNumCtx(null)]).toEqual([16384, 4096, 8192]);
  });
});

describe('the whole-call deadline', () => {
  let fake: FakeOllama;
  beforeAll(async () => {
    fake = await startFakeOllama();
  });
  afterAll(() => fake.close());
  it('a thinking model: the pane shows "thinking… N s" until the reply starts, then the reply', async () => {
    const reply = { diagnosis: 'Holds as described.', intent_match: 'yes' };
    // 30 pieces of reasoning 40 ms apart: the thinking lasts over a second, so the count moves on.
    fake.script({ kind: 'reply', thinking: Array.from({ length: 30 }, (_, i) => `step ${i}. `), chunks: [JSON.stringify(reply)], delayMs: 40 });
    const { reviewer } = modelAgents({ client: new OllamaClient({ host: fake.url }), model: 'fake-model', seed: 1, sink: { record: async () => undefined } });
    const seen: string[] = [];
    const r = await reviewer.review({ idea: 'x', meta: { style: 'other', holding_period: 'short', volatility_preference: 'any', market_type: 'equities' }, aggregates: {} }, { onText: (t) => seen.push(t) });
    expect(r.value.diagnosis).toBe(reply.diagnosis);
    expect(seen[0]).toBe('thinking… 0 s');
    expect(seen.at(-1)).toBe(JSON.stringify(reply));
    const counts = seen.slice(0, -1).map((t) => Number(/^thinking… (\d+) s$/.exec(t)![1]));
    // Once a second at most: each count appears once, in order.
    expect(counts).toEqual([...new Set(counts)].sort((a, b) => a - b));
    expect(counts.length).toBeGreaterThanOrEqual(2);
  });

  it('a reply that streams steadily (never idle) is still stopped at the deadline', async () => {
    fake.script(scenarios.slow({ text: 'y'.repeat(400) }, 20));
    const c = new OllamaClient({ host: fake.url, timeouts: { firstByteMs: 2_000, idleMs: 2_000, callMs: 300 } });
    const t0 = Date.now();
    const e = await c.chat({ model: 'fake-model', messages: [{ role: 'user', content: 'hi' }] }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(Timeout);
    expect((e as Timeout).message).toBe(`Ollama at ${fake.url}: whole-call timeout after 300 ms`);
    expect(Date.now() - t0).toBeLessThan(1_500);
  });
});

describe('the OpenAI-compatible client against the fake /v1 server', () => {
  it('reasoning_content apart from the content, finish_reason length flagged, usage read; a model the server does not serve is named', async () => {
    const replies = [
      { kind: 'reply' as const, thinking: ['Candidates [c1, c2]'], chunks: ['{"a":', '1}'] },
      { kind: 'reply' as const, chunks: ['{"a":'], doneReason: 'length' as const },
    ];
    const oa = await startFakeOpenAi({ respond: () => replies.shift() });
    try {
      const c = new OpenAiClient(oa.url);
      const format = { type: 'object', properties: { a: { type: 'integer' } }, required: ['a'] };
      const msgs = [{ role: 'user', content: 'x'.repeat(40) }];
      const r = await c.chat({ model: 'local-model', messages: msgs, format, options: { temperature: 0, seed: 3, num_predict: 64 } });
      expect(r).toEqual({ content: '{"a":1}', thinking: 'Candidates [c1, c2]', doneReason: 'stop', truncated: false, model: 'local-model', usage: { prompt_tokens: 10, completion_tokens: 2, total_ms: null, load_ms: null } });
      expect(oa.requests.at(-1)!.body).toMatchObject({ max_tokens: 64, seed: 3, temperature: 0, response_format: { type: 'json_schema', json_schema: { name: 'reply', strict: true, schema: format } } });
      const cut = await c.chat({ model: 'local-model', messages: msgs, format });
      expect([cut.truncated, cut.doneReason]).toEqual([true, 'length']);
      expect(await c.status('qwen3-8b')).toEqual({ state: 'missing_model', message: `model qwen3-8b is not served at ${oa.url} (it serves: local-model)` });
    } finally {
      await oa.close();
    }
  });
});

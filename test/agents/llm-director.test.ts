/**
 * The Director on a model, through the fake Ollama server and a real store: a good reply ranks and
 * explains; every failure falls back to the rules with the failure in the stored transcripts; the
 * wire schema cannot name anything but the candidates' ids.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { modelAgents, type FallbackNotice } from '../../src/agents/llm/index.ts';
import { Aborted } from '../../src/agents/ollama/errors.ts';
import { OllamaClient } from '../../src/agents/ollama/ollama-client.ts';
import { rulesRanking } from '../../src/agents/rules/director.ts';
import { storeSink } from '../../src/commands/agents-wiring.ts';
import { DEFAULT_COST_TABLE } from '../../src/core/budget/cost-table.ts';
import { proposeNext, type DirectorState } from '../../src/core/director/proposals.ts';
import type { DirectorInput } from '../../src/core/research/ports.ts';
import { openStore, type Store } from '../../src/core/store/store.ts';
import { universe } from '../core/director-fixtures.ts';
import { FAKE_MODEL, scenarios, startFakeOllama, type FakeOllama, type Scenario } from '../support/fake-ollama.ts';

const meta = { style: 'mean_reversion', holding_period: 'short', volatility_preference: 'high', market_type: 'equities' } as const;
const state: DirectorState = {
  meta, universe: universe(), table: DEFAULT_COST_TABLE, balance: 1000,
  tested: ['AMD', 'NVDA', 'MU', 'SLB', 'AAPL', 'PFE', 'MRK', 'JNJ'].map((symbol) => ({ symbol, interval: '1d' as const })), interval: '1d', phase: { kind: 'research' }, params: ['len', 'lo'],
  stage: { oosPassed: true, optimized: true, walkForwardDone: true, reoptimized: false, regimeChecked: false, gatesPassed: true, edgePassed: true, reviewed: true, holdoutSealed: true },
  aggregates: [
    { sector: 'Tech', symbols: ['AMD', 'NVDA', 'MU', 'AAPL'], trades: 40, avg_trade_return: 0.004, positive_symbols: 3, stability: 0.75, pnl: 0.16, pooled_sharpe: 1.1 },
    { sector: 'Health', symbols: ['PFE', 'MRK', 'JNJ'], trades: 30, avg_trade_return: 0.003, positive_symbols: 2, stability: 2 / 3, pnl: 0.09, pooled_sharpe: 0.9 },
  ],
  segments: { rows: [], k: 0, alpha: 0.05 }, drawSeed: '1:test', version: 'abcdef0123456789',
};
const input: DirectorInput = { meta, candidates: proposeNext(state), facts: ['Tech: 3 of 4 symbols positive'] };
const ids = input.candidates.map((c) => c.id);
const SEED = 7;
const SESSION = 's7-1';
const SOURCE = `ollama:fake-model@${FAKE_MODEL.digest.slice(0, 12)}`;

let fake: FakeOllama;
let store: Store;
let dir: string;
const notices: FallbackNotice[] = [];
let director: ReturnType<typeof modelAgents>['director'];
let client: OllamaClient;

beforeAll(async () => {
  fake = await startFakeOllama();
  dir = mkdtempSync(join(tmpdir(), 'llm-director-'));
  store = await openStore(dir);
  client = new OllamaClient({ host: fake.url });
  expect((await client.status('fake-model')).state).toBe('ok');
});
// A fresh role each test: a role's breaker opens after two failed calls in a row, and these tests each script their own.
beforeEach(() => {
  ({ director } = modelAgents({
    client, model: 'fake-model', seed: SEED, sink: storeSink(store),
    timeouts: { connectMs: 1_000, firstByteMs: 300, idleMs: 300 }, onFallback: (n) => notices.push(n),
  }));
});
afterAll(async () => {
  await store.close();
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

const chats = (): Array<Record<string, unknown>> => fake.requests.filter((r) => r.url === '/api/chat').map((r) => r.body);
const stored = (tids: readonly string[] | undefined) => (tids ?? []).map((id) => store.get('transcripts', id)!);

describe('OllamaDirector', () => {
  it('has at least three candidates to rank (the fixture is meaningful)', () => {
    expect(ids.length).toBeGreaterThanOrEqual(3);
  });

  it('a good reply reorders and explains; the call is stored as a transcript; the text streams', async () => {
    const reversed = [...ids].reverse();
    const reply = { order: reversed, notes: reversed.map((id, i) => ({ id, justification: `because ${i}`, expected_information_gain: `learn ${i}` })) };
    fake.script(scenarios.valid(reply));
    const seen: string[] = [];
    const r = await director.rank(input, { session: SESSION, onText: (t) => seen.push(t) });
    expect(r.source).toBe(SOURCE);
    expect(r.value.order).toEqual(reversed);
    expect(r.value.notes[reversed[0]!]).toEqual({ justification: 'because 0', expected_information_gain: 'learn 0' });
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.at(-1)).toBe(JSON.stringify(reply));
    const [t] = stored(r.transcripts);
    expect(t).toMatchObject({ session: SESSION, role: 'director', model: 'fake-model', model_digest: FAKE_MODEL.digest, outcome: 'ok', attempt: 1, detail: null, response: JSON.stringify(reply) });
    expect(t!.options).toEqual({ temperature: 0, seed: SEED, num_ctx: 8192, num_predict: 1536 });
  });

  it('sends the candidate ids as an enum and nothing a model could use to name a symbol, interval, action or cost', async () => {
    fake.script(scenarios.valid({ order: ids, notes: ids.map((id) => ({ id, justification: 'j', expected_information_gain: 'g' })) }));
    await director.rank(input, { session: SESSION });
    const body = chats().at(-1)!;
    expect(body.options).toEqual({ temperature: 0, seed: SEED, num_ctx: 8192, num_predict: 1536 });
    const format = body.format as Record<string, unknown>;
    const props = new Set<string>();
    const walk = (n: unknown): void => {
      if (n === null || typeof n !== 'object') return;
      const o = n as Record<string, unknown>;
      if (o.properties !== undefined) for (const [k, v] of Object.entries(o.properties as Record<string, unknown>)) { props.add(k); walk(v); }
      if (o.items !== undefined) walk(o.items);
    };
    walk(format);
    expect([...props].sort()).toEqual(['expected_information_gain', 'id', 'justification', 'notes', 'order']);
    const order = (format.properties as Record<string, { items: { enum: string[] } }>).order!;
    expect(order.items.enum).toEqual(ids);
  });

  it('extra fields a model adds (a cost, an action, symbols) are dropped: only order and prose come back', async () => {
    const reply = {
      order: ids, cost: 0, action: 'promote', symbols: ['MSFT'],
      notes: ids.map((id) => ({ id, justification: 'j', expected_information_gain: 'g', cost: 0, interval: '1m' })),
    };
    fake.script(scenarios.valid(reply));
    const r = await director.rank(input, { session: SESSION });
    expect(r.source).toBe(SOURCE);
    expect(Object.keys(r.value).sort()).toEqual(['notes', 'order']);
    for (const n of Object.values(r.value.notes)) expect(Object.keys(n).sort()).toEqual(['expected_information_gain', 'justification']);
  });

  it('an invented candidate is refused with the reason fed back; invented three times, the rules answer', async () => {
    const invented = { order: ['add_symbol:MSFT@1m', ...ids.slice(1)], notes: [] };
    fake.script(scenarios.valid(invented), scenarios.valid(invented), scenarios.valid(invented));
    const from = chats().length;
    const before = notices.length;
    const r = await director.rank(input, { session: SESSION });
    expect(r.source).toBe('rules');
    expect(r.value).toEqual(rulesRanking(input));
    const ts = stored(r.transcripts);
    expect(ts.map((t) => [t.outcome, t.attempt])).toEqual([['invalid', 1], ['invalid', 2], ['invalid', 3]]);
    expect(ts[0]!.detail).toContain('order[0]');
    // The second attempt carries the first one's validation error back to the model.
    const retry = chats()[from + 1]!.messages as Array<{ role: string; content: string }>;
    expect(retry.at(-1)!.content).toContain('order[0]');
    expect(retry.at(-2)).toEqual({ role: 'assistant', content: JSON.stringify(invented) });
    expect(notices.slice(before)).toEqual([{ role: 'director', reason: expect.stringContaining('did not match the schema') as string, transcripts: r.transcripts }]);
  });

  const failures: Array<[string, Scenario[], Array<string>, RegExp]> = [
    ['truncated (done_reason length) on every try', [1, 2, 3].map(() => scenarios.truncated({ order: ids, notes: [] })), ['truncated', 'truncated', 'truncated'], /length/],
    ['wrong types on every try', [1, 2, 3].map(() => scenarios.valid({ order: 'first', notes: 5 })), ['invalid', 'invalid', 'invalid'], /order/],
    ['404 for the model', [scenarios.modelMissing()], ['error'], /ollama pull fake-model/],
    ['an error mid-stream', [scenarios.midStreamError()], ['error'], /error was encountered/],
    ['a malformed NDJSON line', [scenarios.malformed({ order: ids, notes: [] })], ['error'], /malformed NDJSON/],
    ['a hang (no first byte)', [scenarios.hang()], ['error'], /first-byte timeout/],
    ['a stall mid-stream', [scenarios.stall()], ['error'], /idle timeout/],
  ];
  for (const [name, script, outcomes, detail] of failures) {
    it(`${name} → the rules answer, and the transcripts show why`, async () => {
      fake.script(...script);
      const r = await director.rank(input, { session: SESSION });
      expect(r.source).toBe('rules');
      expect(r.value).toEqual(rulesRanking(input));
      const ts = stored(r.transcripts);
      expect(ts.map((t) => t.outcome)).toEqual(outcomes);
      expect(ts.at(-1)!.detail).toMatch(detail);
      expect(fake.pending()).toBe(0);
    });
  }

  it('slow but steady is not a failure; valid only on the second try is an answer', async () => {
    const reply = { order: ids, notes: ids.map((id) => ({ id, justification: 'j', expected_information_gain: 'g' })) };
    fake.script(scenarios.slow(reply, 15));
    expect((await director.rank(input, { session: SESSION })).source).toBe(SOURCE);
    fake.script(scenarios.valid({ order: 3 }), scenarios.valid(reply));
    const r = await director.rank(input, { session: SESSION });
    expect(r.source).toBe(SOURCE);
    expect(stored(r.transcripts).map((t) => t.outcome)).toEqual(['invalid', 'ok']);
  });

  it('a cancel is not a failure: it propagates and the rules do not answer', async () => {
    fake.script(scenarios.hang());
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 50);
    const before = notices.length;
    await expect(director.rank(input, { session: SESSION, signal: ctl.signal })).rejects.toBeInstanceOf(Aborted);
    expect(notices.length).toBe(before);
  });
});

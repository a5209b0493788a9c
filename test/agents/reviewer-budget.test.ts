/**
 * A 60-series Reviewer call against the context budget, through the fake Ollama server: the old
 * request (every series, indented) would not fit 8192 tokens; the compact one does, shows the six
 * best and six worst series by Sharpe (checked by an independent sort) and ranges for the rest. In a
 * window too small even for that, the call is refused before it is sent and the rules answer: never
 * a silently cut prompt.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelAgents, type FallbackNotice } from '../../src/agents/llm/index.ts';
import { NUM_PREDICT } from '../../src/agents/llm/ask.ts';
import { OllamaClient } from '../../src/agents/ollama/ollama-client.ts';
import { storeSink } from '../../src/commands/agents-wiring.ts';
import type { ReviewInput } from '../../src/core/research/ports.ts';
import { openStore, type Store } from '../../src/core/store/store.ts';
import { FAKE_MODEL, REVIEW_REPLY, requestText, scenarios, startFakeOllama, type FakeOllama } from '../support/fake-ollama.ts';
import { mulberry32 } from '../support/mulberry32.ts';

const rnd = mulberry32(60);
const r3 = (x: number): number => Number(x.toPrecision(3));
const SECTORS = ['Tech', 'Health', 'Energy', 'Finance', 'Retail', 'Utilities'];
const series = Array.from({ length: 60 }, (_, i) => {
  const sector = SECTORS[i % SECTORS.length]!;
  return {
    label: `${sector} ${String.fromCharCode(65 + Math.floor(i / SECTORS.length))}`, sector, interval: '1d', segment: 'in_sample',
    bars: 1260, span: '1260 bars over 5.0 years', trades: 20 + Math.floor(rnd() * 80), trades_per_year: r3(4 + rnd() * 16),
    total_return: r3(rnd() - 0.3), sharpe: r3(rnd() * 3 - 1), max_drawdown: r3(-rnd() * 0.4), exposure: r3(rnd()), avg_trade_return: r3((rnd() - 0.4) / 100),
    win_rate: r3(0.3 + rnd() * 0.4), profit_factor: r3(0.6 + rnd()), avg_holding_bars: r3(2 + rnd() * 8), avg_holding_days: r3(2 + rnd() * 8),
    drawdown_trough: 'bar 812 of 1260 (year 4)', busiest_period: { at: 'year 3', trades: 12, share: r3(rnd() / 3) },
  };
});
const aggregates = {
  intent: { style: 'mean_reversion', holding_period: 'short', holding_days: { min: 0.5, max: 14 }, trades_per_year_per_series: { min: 10, max: 120 }, win_rate: { min: 0.5, max: null } },
  pooled: { series: 60, symbols: 60, sectors: 6, trades: 3000, avg_trade_return: 0.00212, win_rate: 0.523, profit_factor: 1.13, avg_holding_days: 5.1, trades_per_year_per_series: 10 },
  series, sectors: [], regimes: [], gates: [], notes: [],
};
const input: ReviewInput = {
  idea: 'buy dips, sell the recovery',
  meta: { style: 'mean_reversion', holding_period: 'short', volatility_preference: 'high', market_type: 'equities' },
  aggregates,
};

let fake: FakeOllama;
let store: Store;
let dir: string;
let client: OllamaClient;
beforeAll(async () => {
  fake = await startFakeOllama();
  dir = mkdtempSync(join(tmpdir(), 'reviewer-budget-'));
  store = await openStore(dir);
  client = new OllamaClient({ host: fake.url });
  expect((await client.status('fake-model')).state).toBe('ok');
});
afterAll(async () => {
  await store.close();
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a 60-series Reviewer call', () => {
  it('the old request would not fit 8192 tokens; the compact one does, with the best and worst six and ranges for the rest', async () => {
    // The old form, sized by hand at 3 characters a token: over the window before the reply's 1536.
    expect(JSON.stringify(aggregates, null, 1).length / 3 + NUM_PREDICT.reviewer!).toBeGreaterThan(8192);

    const { reviewer } = modelAgents({ client, model: 'fake-model', seed: 1, sink: storeSink(store), settings: { numCtx: 8192, noTruncate: true } });
    fake.script(scenarios.valid(REVIEW_REPLY));
    const r = await reviewer.review(input, { session: 's1-1' });
    expect(r.source).toBe(`ollama:fake-model@${FAKE_MODEL.digest.slice(0, 12)}`);
    const t = store.get('transcripts', r.transcripts!.at(-1)!)!;
    expect(t.outcome).toBe('ok');
    expect(t.prompt_estimate! + NUM_PREDICT.reviewer!).toBeLessThanOrEqual(8192);

    const body = fake.requests.filter((q) => q.url === '/api/chat').at(-1)!.body;
    expect(body.truncate).toBe(false);
    const text = requestText(body);
    expect(text).toContain('60 series were run: the 6 with the highest and the 6 with the lowest Sharpe are shown in full; series_not_shown gives the ranges of the other 48.');
    const sent = JSON.parse(/Aggregates computed by code[^\n]*\n(.*)/.exec(text)![1]!) as { series: typeof series; series_not_shown: Record<string, unknown> };
    const bySharpe = [...series].sort((a, b) => b.sharpe - a.sharpe);
    const expectedLabels = new Set([...bySharpe.slice(0, 6), ...bySharpe.slice(-6)].map((s) => s.label));
    expect(new Set(sent.series.map((s) => s.label))).toEqual(expectedLabels);
    const rest = series.filter((s) => !expectedLabels.has(s.label));
    expect(sent.series_not_shown).toMatchObject({
      series: 48,
      sharpe: { min: Math.min(...rest.map((s) => s.sharpe)), max: Math.max(...rest.map((s) => s.sharpe)) },
      trades: { min: Math.min(...rest.map((s) => s.trades)), max: Math.max(...rest.map((s) => s.trades)) },
    });
  });

  it('in a window too small even for the compact request: refused before sending, the limit named, the rules answer', async () => {
    const notices: FallbackNotice[] = [];
    const { reviewer } = modelAgents({ client, model: 'fake-model', seed: 1, sink: storeSink(store), settings: { numCtx: 4096, noTruncate: true }, onFallback: (n) => notices.push(n) });
    const before = fake.requests.length;
    const r = await reviewer.review(input, { session: 's1-2' });
    expect(r.source).toBe('rules');
    expect(fake.requests.length).toBe(before);
    expect(notices).toHaveLength(1);
    expect(notices[0]!.reason).toMatch(/^reviewer: the prompt needs about \d+ tokens and the reply up to 1536, more than the context window of 4096 tokens \(num_ctx\): it was not sent$/);
    const t = store.get('transcripts', r.transcripts!.at(-1)!)!;
    expect(t).toMatchObject({ outcome: 'error', not_sent: true, response: '' });
  });
});

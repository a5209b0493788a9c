/**
 * The Translator on a model, through the fake Ollama server and a real store. Rules first: the
 * rule language and the Pine subset never reach the model. Free text does; its draft must validate
 * and compile, and every problem goes back to the model with the reply's JSON path. When the model
 * fails too, the user gets the parser's refusal and the model's failure (exit 2).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TranslatorWireSchema } from '../../src/agents/llm/index.ts';
import { wireJsonSchema } from '../../src/agents/ollama/wire.ts';
import { OllamaClient } from '../../src/agents/ollama/ollama-client.ts';
import { modelRoles, storeSink } from '../../src/commands/agents-wiring.ts';
import { fitMarket } from '../../src/commands/market-fit.ts';
import type { UniverseView } from '../../src/core/research/ports.ts';
import { UserError } from '../../src/core/errors.ts';
import { SPEC_SCHEMA_ID, type Spec } from '../../src/core/spec/schema.ts';
import { openStore, type Store } from '../../src/core/store/store.ts';
import { compile } from '../../src/engine/compiler/compile.ts';
import { FAKE_MODEL, requestText, scenarios, startFakeOllama, type FakeOllama } from '../support/fake-ollama.ts';

const IDEA = 'Buy when the 2-period RSI drops below 10 and sell when it climbs above 70, with a 5% stop.';
const side = (conditions: Array<[string, string, string]>, combine: 'all' | 'any' = 'all') =>
  ({ combine, conditions: conditions.map(([left, op, right]) => ({ left, op, right })) });
const NONE = side([]);
const META = { style: 'mean_reversion', holding_period: 'short', volatility_preference: 'any', market_type: 'equities' } as const;

/** What a model would mean by IDEA, in the wire shape. */
const DRAFT = {
  name: 'RSI 2 dip', summary: 'Buy short, sharp oversold dips and sell the bounce.', meta: META,
  params: [{ name: 'lo', value: 10, min: 5, max: 30, step: 5 }],
  indicators: [{ id: 'rsi2', fn: 'rsi', source: 'close', args: ['2'] }],
  rules: { long_entry: side([['rsi2', '<', '$lo']]), long_exit: side([['rsi2', '>', '70']], 'any'), short_entry: NONE, short_exit: NONE },
  stop_loss_pct: 5, take_profit_pct: 0, warnings: [],
};
/** The spec DRAFT must become, written out by hand from DESIGN §3. */
const EXPECTED: Spec = {
  schema: SPEC_SCHEMA_ID, name: 'rsi-2-dip', idea: IDEA, meta: META,
  params: { lo: { value: 10, min: 5, max: 30, step: 5 } },
  indicators: { rsi2: { fn: 'rsi', source: 'close', period: 2 } },
  rules: { long_entry: ['rsi2', '<', '$lo'], long_exit: ['rsi2', '>', 70], short_entry: null, short_exit: null },
  risk: { stop_loss_pct: 5, take_profit_pct: null },
  // The model never sets a cost: the idea states none, so the equities defaults (docs/costs.md).
  execution: { fees_bps: 5, slippage_bps: 5 },
};
const SOURCE = `ollama:fake-model@${FAKE_MODEL.digest.slice(0, 12)}`;

let fake: FakeOllama;
let store: Store;
let dir: string;
let translator: ReturnType<typeof modelRoles>['translator'];

beforeAll(async () => {
  fake = await startFakeOllama();
  dir = mkdtempSync(join(tmpdir(), 'llm-translator-'));
  store = await openStore(dir);
  const client = new OllamaClient({ host: fake.url });
  expect((await client.status('fake-model')).state).toBe('ok');
  ({ translator } = modelRoles({ client, model: 'fake-model', seed: 11, sink: storeSink(store), timeouts: { connectMs: 1_000, firstByteMs: 300, idleMs: 300 } }));
});
afterAll(async () => {
  await store.close();
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

const chats = (): Array<Record<string, unknown>> => fake.requests.filter((r) => r.url === '/api/chat').map((r) => r.body);
const lastUser = (body: Record<string, unknown>): string => (body.messages as Array<{ role: string; content: string }>).at(-1)!.content;

describe('Translator: rules first', () => {
  it('the rule language and a Pine script in the subset never reach the model', async () => {
    const before = chats().length;
    const a = await translator.translate('buy when rsi(2) < 10; sell when rsi(2) > 70; stop 5%', { session: 's11-1' });
    const pine = readFileSync(new URL('fixtures/pine/02-rsi-levels-long.pine', import.meta.url), 'utf8');
    const b = await translator.translate(pine, {});
    expect([a.source, b.source]).toEqual(['rules', 'rules']);
    expect(a.transcripts).toBeUndefined();
    expect(chats().length).toBe(before);
  });

  it('a broken spec document is the user\'s to fix, not the model\'s: the parser\'s error, no call', async () => {
    const before = chats().length;
    await expect(translator.translate(`{"schema": "${SPEC_SCHEMA_ID}", "name": ""}`, {})).rejects.toThrow(/name/);
    expect(chats().length).toBe(before);
  });
});

describe('Translator: free text on the model', () => {
  it('turns the reply into the spec a person would write, which compiles; the parser\'s refusal is the first warning', async () => {
    fake.script(scenarios.valid(DRAFT));
    const r = await translator.translate(IDEA, { session: 's11-1' });
    expect(r.source).toBe(SOURCE);
    expect(r.value.spec).toEqual(EXPECTED);
    expect(r.value.summary).toBe(DRAFT.summary);
    expect(r.value.warnings[0]).toMatch(/^the rule parser could not translate this \(rules: .+\); the model drafted the spec: check it$/);
    expect(() => compile(r.value.spec)).not.toThrow();
    expect(store.get('transcripts', r.transcripts![0]!)).toMatchObject({ role: 'translator', outcome: 'ok', session: 's11-1', attempt: 1 });
    // The request: the idea fenced as data, the parser's reason, the schema as format, temperature 0 and the seed.
    const body = chats().at(-1)!;
    const text = requestText(body);
    expect(text).toContain(`<<<\n${IDEA}\n>>>`);
    expect(text).toContain('The deterministic parser could not translate it:\nrules:');
    expect(body.format).toEqual(wireJsonSchema(TranslatorWireSchema));
    expect(body.options).toEqual({ temperature: 0, seed: 11, num_ctx: 8192, num_predict: 2048 });
  });

  it('sends the problems back with the reply\'s JSON paths, and takes the corrected draft', async () => {
    const bad = {
      ...DRAFT,
      params: [{ name: 'lo', value: 12, min: 5, max: 30, step: 5 }],
      rules: { ...DRAFT.rules, long_entry: side([['rsi2', '<', '$lo'], ['close', '<', 'sma50']]) },
    };
    fake.script(scenarios.valid(bad), scenarios.valid(DRAFT));
    const from = chats().length;
    const r = await translator.translate(IDEA, {});
    expect(r.value.spec).toEqual(EXPECTED);
    const feedback = lastUser(chats()[from + 1]!);
    expect(feedback).toContain('params[0].value: param "lo" = 12 is not on its grid 5 + k·5');
    expect(r.transcripts!.map((id) => store.get('transcripts', id)!.outcome)).toEqual(['invalid', 'ok']);
  });

  it('a reference to nothing is named by its path in the reply', async () => {
    const bad = { ...DRAFT, rules: { ...DRAFT.rules, long_entry: side([['rsi2', '<', '$lo'], ['close', '<', 'sma50']]) } };
    fake.script(scenarios.valid(bad), scenarios.valid(DRAFT));
    const from = chats().length;
    await translator.translate(IDEA, {});
    expect(lastUser(chats()[from + 1]!)).toMatch(/rules\.long_entry\.conditions\[1\]\.right: "sma50" is neither a price field .* nor an indicator id \(rsi2\)/);
  });

  it('an operand that is not one (a percentage, an expression) is named by its path in the reply', async () => {
    const bad = { ...DRAFT, rules: { ...DRAFT.rules, long_exit: side([['rsi2', '>', '70%'], ['close', '>', 'close[1] * 1.02']], 'any') } };
    fake.script(scenarios.valid(bad), scenarios.valid(DRAFT));
    const from = chats().length;
    await translator.translate(IDEA, {});
    const feedback = lastUser(chats()[from + 1]!);
    expect(feedback).toContain('rules.long_exit.conditions[0].right: "70%": must be a number, "$param", "-$param", a price field');
    expect(feedback).toContain('rules.long_exit.conditions[1].right: "close[1] * 1.02": must be a number');
  });

  it('a draft only the compiler can refuse (MACD fast above slow) goes back with the compiler\'s reason', async () => {
    const macd = {
      ...DRAFT, params: [],
      indicators: [{ id: 'm', fn: 'macd', source: 'close', args: ['26', '12', '9'] }],
      rules: { long_entry: side([['m.macd', 'crosses_above', 'm.signal']]), long_exit: side([['m.macd', 'crosses_below', 'm.signal']]), short_entry: NONE, short_exit: NONE },
    };
    const fixed = { ...macd, indicators: [{ id: 'm', fn: 'macd', source: 'close', args: ['12', '26', '9'] }] };
    fake.script(scenarios.valid(macd), scenarios.valid(fixed));
    const from = chats().length;
    const r = await translator.translate('Go long when MACD crosses its signal line, exit on the cross back.', {});
    expect(lastUser(chats()[from + 1]!)).toContain('the compiler refused the spec: compile rsi-2-dip: indicators.m: fast must be below slow, got fast 26 and slow 12');
    expect(r.value.spec.indicators).toEqual({ m: { fn: 'macd', source: 'close', fast: 12, slow: 26, signal: 9 } });
  });

  it('Pine outside the subset goes to the model with the parser\'s reason (the construct and its line)', async () => {
    const pine = readFileSync(new URL('fixtures/pine/13-REFUSE-security-lookahead.pine', import.meta.url), 'utf8');
    fake.script(scenarios.valid(DRAFT));
    const r = await translator.translate(pine, {});
    expect(r.source).toBe(SOURCE);
    expect(requestText(chats().at(-1)!)).toMatch(/could not translate it:\npine:3: `request\.security` is not in the supported Pine subset/);
  });

  it('when the model fails too, the user gets the parser\'s refusal and the model\'s failure (exit 2)', async () => {
    fake.script(scenarios.modelMissing());
    const err = await translator.translate(IDEA, { session: 's11-1' }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    const e = err as UserError;
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(/^rules: /);
    expect(e.message).toMatch(/\nThe model could not translate it either: model fake-model is not installed: run `ollama pull fake-model` \(transcripts s11-1-llm\d+\)$/);
  });
});

describe('Translator: a model-drafted spec says which meta the model chose', () => {
  // The Director's intervals and the Reviewer's holding bands for each holding period (docs/director.md, docs/rules.md).
  const SHORT = 'the Director tries 1h first among 5m 15m 1h 4h 1d and the Reviewer expects holds of 0.5–14 days';
  const LONG = 'the Director tries 1d first among 4h 1d and the Reviewer expects holds of 60+ days';
  const HOW = 'To choose instead, add "holding short|medium|long|intraday" and "market equities|crypto|futures|forex" to the idea.';

  it('free text with no meta: both fields are the model\'s, said with the lookback the code would have used, as the last warning', async () => {
    fake.script(scenarios.valid(DRAFT));
    const r = await translator.translate(IDEA, {});
    expect(r.value.spec.meta).toEqual(META);
    expect(r.value.warnings.at(-1)).toBe(
      `meta: holding period short, chosen by the model from the idea's text (the idea states none; its longest lookback, 2 bars, would give short: ≤ 20 short, ≤ 60 medium, else long): ${SHORT}; ` +
      'market equities, chosen by the model from the idea\'s text (the idea states none): symbols come from the universe\'s equities and unstated costs default to 5 + 5 bps. ' + HOW);
  });

  it('a holding period the lookback would not give is said with both', async () => {
    fake.script(scenarios.valid({ ...DRAFT, meta: { ...META, holding_period: 'long' } }));
    const r = await translator.translate(IDEA, {});
    expect(r.value.warnings.at(-1)).toBe(
      `meta: holding period long, chosen by the model from the idea's text (the idea states none; its longest lookback, 2 bars, would give short: ≤ 20 short, ≤ 60 medium, else long): ${LONG}; ` +
      'market equities, chosen by the model from the idea\'s text (the idea states none): symbols come from the universe\'s equities and unstated costs default to 5 + 5 bps. ' + HOW);
  });

  it('what the idea states wins over the model, costs follow the stated market, and a stated field is not in the note', async () => {
    fake.script(scenarios.valid(DRAFT)); // the model says short and equities
    const r = await translator.translate(`${IDEA} Holding long, market crypto.`, {});
    expect(r.value.spec.meta).toEqual({ ...META, holding_period: 'long', market_type: 'crypto' });
    expect(r.value.spec.execution).toEqual({ fees_bps: 10, slippage_bps: 5 });
    expect(r.value.warnings.filter((w) => w.startsWith('meta:'))).toEqual([]);

    fake.script(scenarios.valid(DRAFT));
    const m = await translator.translate(`${IDEA} Market crypto.`, {});
    expect(m.value.warnings.at(-1)).toBe(
      `meta: holding period short, chosen by the model from the idea's text (the idea states none; its longest lookback, 2 bars, would give short: ≤ 20 short, ≤ 60 medium, else long): ${SHORT}. ` +
      'To choose instead, add "holding short|medium|long|intraday" to the idea.');
  });

  it('a market the model chose gives way to the only one the universe has, as an inferred one does, and the note says why', async () => {
    fake.script(scenarios.valid(DRAFT));
    const r = await translator.translate(IDEA, {});
    const cryptoOnly: UniverseView = {
      symbols: () => [{ symbol: 'BTCUSD', sector: 'crypto', market_type: 'crypto', intervals: ['1d'] }],
      realizedVol: () => 0, visibleBars: () => 0, sealedBars: () => 0,
    };
    const fitted = fitMarket(r.value, cryptoOnly);
    expect([fitted.spec.meta.market_type, fitted.spec.execution]).toEqual(['crypto', { fees_bps: 10, slippage_bps: 5 }]);
    expect(fitted.warnings.at(-1)).toBe(
      `meta: holding period short, chosen by the model from the idea's text (the idea states none; its longest lookback, 2 bars, would give short: ≤ 20 short, ≤ 60 medium, else long): ${SHORT}; ` +
      'market crypto, because the universe has no equities data and only crypto (1 symbol): symbols come from the universe\'s crypto and unstated costs default to 10 + 5 bps. ' + HOW);
  });

  it('Pine the model drafted: the note points at the // @gauntlet line, which it also reads', async () => {
    const pine = readFileSync(new URL('fixtures/pine/13-REFUSE-security-lookahead.pine', import.meta.url), 'utf8');
    fake.script(scenarios.valid(DRAFT));
    const r = await translator.translate(pine, {});
    expect(r.value.warnings.at(-1)).toBe(
      `meta: holding period short, chosen by the model from the idea's text (the idea states none; its longest lookback, 2 bars, would give short: ≤ 20 short, ≤ 60 medium, else long): ${SHORT}; ` +
      'market equities, chosen by the model from the idea\'s text (the idea states none): symbols come from the universe\'s equities and unstated costs default to 5 + 5 bps. ' +
      'To choose instead, add the line "// @gauntlet holding=short|medium|long|intraday market=equities|crypto|futures|forex" to the script.');
    fake.script(scenarios.valid(DRAFT));
    const stated = await translator.translate(`// @gauntlet holding=medium market=crypto\n${pine}`, {});
    expect(stated.value.spec.meta).toEqual({ ...META, holding_period: 'medium', market_type: 'crypto' });
    expect(stated.value.warnings.filter((w) => w.startsWith('meta:'))).toEqual([]);
  });
});

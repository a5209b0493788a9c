import { join } from 'node:path';
import { afterAll, beforeAll, afterEach, describe, expect, it } from 'vitest';
import { rulesAgents } from '../../src/commands/agents-wiring.ts';
import { bufferIo } from '../../src/commands/io.ts';
import { openUniverse } from '../../src/commands/data-source.ts';
import type { DirectorInput } from '../../src/core/research/ports.ts';
import { openStore } from '../../src/core/store/store.ts';
import type { Universe } from '../../src/engine/data/universe.ts';
import { EDGE_IDEA, EDGE_MARKET, ROOT, inproc, readStoreFile, storeProblems, workspace } from '../research/helpers.ts';
import { KEY, openConsole, type ConsoleFixture } from './support.tsx';

/**
 * Sessions on a planted-edge market, where the Director has several steps to offer: the note of a
 * veto reaches the Director's next round, and an optimisation makes a new spec version, so every
 * pane has something to show. Each pane is checked against the store the session wrote.
 */
describe('console on a planted-edge market', () => {
  let market: ReturnType<typeof workspace>;
  let universe: Universe;
  let fx: ConsoleFixture | null = null;

  beforeAll(async () => {
    market = workspace('ui-edge');
    const out = join(market.dir, 'market');
    const r = await inproc(['data', 'synth', ...EDGE_MARKET, '--out', out], market.env);
    expect(r.code).toBe(0);
    universe = openUniverse(bufferIo(market.env, ROOT), out);
  });
  afterAll(() => market.cleanup());
  afterEach(async () => { await fx?.cleanup(); fx = null; });

  const PROPOSAL = (action: string): RegExp => new RegExp(`Director proposes: ${action} `);
  const typeIdea = async (f: ConsoleFixture): Promise<void> => {
    await f.drawn.waitFor((x) => x.includes('Examples ('), 10_000, 'the start screen');
    await f.drawn.press(KEY.tab, EDGE_IDEA, KEY.enter);
  };
  const answer = async (f: ConsoleFixture, action: string, ...keys: string[]): Promise<void> => {
    await f.drawn.waitFor((x) => PROPOSAL(action).test(x), 60_000, `the ${action} proposal`);
    await f.drawn.press(...keys);
  };

  it('a veto note goes back to the Director with its next round', async () => {
    const seen: DirectorInput[] = [];
    const base = rulesAgents();
    const agents = { ...base, director: { rank: (input: DirectorInput, opts: Parameters<typeof base.director.rank>[1]) => { seen.push(input); return base.director.rank(input, opts); } } };
    fx = await openConsole({ agents, universe });
    await typeIdea(fx);
    await answer(fx, 'initial_backtest', 'a');
    await answer(fx, 'add_symbol', 'a'); // the rest of the starter screen: two symbols of the one segment
    await answer(fx, 'add_symbol', 'a'); // viability cannot judge the drawdown on fewer than the scope's symbols: evidence
    await answer(fx, 'add_symbol', 'a');
    await answer(fx, 'promote', 'v'); // tune before confirming
    await answer(fx, 'regime_expansion', 'n');
    await fx.drawn.press('quiet regimes only', KEY.enter);
    await fx.drawn.waitFor((x) => x.includes('note: quiet regimes only'), 10_000, 'the note in the Director pane');
    const roundsBefore = seen.length;
    expect(seen.every((s) => !s.facts.some((x) => x.startsWith('user note:')))).toBe(true);
    // The round goes on with its next offer; the note reaches the Director when it ranks again.
    await answer(fx, 'optimize', 'a');
    await fx.drawn.waitFor((x) => /Director proposes: (?!optimize)/.test(x) || /■ \w+/.test(x), 60_000, 'the next round');
    expect(seen.length).toBe(roundsBefore + 1);
    expect(seen.at(-1)!.facts).toContain('user note: quiet regimes only');
    const data = readStoreFile(fx.dir)!;
    expect(data.decisions.filter((d) => d.decision === 'vetoed').map((d) => d.note)).toEqual([null, 'quiet regimes only']);
    expect(data.ledger.filter((e) => e.kind === 'spend').map((e) => e.action)).toEqual(['initial_backtest', 'add_symbol', 'add_symbol', 'add_symbol', 'optimize']);
  });

  it('every pane shows what the session wrote: a new spec version after optimising, with its diff', async () => {
    fx = await openConsole({ universe, size: { columns: 120, rows: 50 } });
    await typeIdea(fx);
    await answer(fx, 'initial_backtest', 'a');
    await answer(fx, 'add_symbol', 'a');
    await answer(fx, 'add_symbol', 'a');
    await answer(fx, 'add_symbol', 'a');
    await answer(fx, 'promote', 'v');
    await answer(fx, 'regime_expansion', 'v');
    await answer(fx, 'optimize', 'a');
    await answer(fx, 'promote', 'v'); // the tuned version's promotion is a new proposal
    await answer(fx, 'walk_forward', 'v');
    await answer(fx, 'kill', 'v');
    const end = await fx.drawn.waitFor((x) => /■ (FROZEN|DEAD|PROMOTED|KILLED)/.test(x), 90_000, 'the verdict');
    const { handle, drawn, dir } = fx;
    const st = handle.store.getState();
    const data = readStoreFile(dir)!;
    expect(storeProblems(data)).toEqual([]);
    const zoom = async (key: string, title: string): Promise<string> => {
      await drawn.press(key);
      // Zoomed: the one pane title rule on screen is this pane's.
      const f = await drawn.waitFor((x) => {
        const titles = x.split('\n').filter((l) => /^─ [2-9] /.test(l));
        return titles.length === 1 && titles[0]!.startsWith(`─ ${title}`);
      }, 5_000, `pane ${title}`);
      const lines = f.split('\n');
      const from = lines.findIndex((l) => l.startsWith(`─ ${title}`));
      return lines.slice(from, from + 44).join('\n');
    };

    // ② Translator: the summary the translate record holds, and the spec's classification.
    const translate = data.ledger.find((e) => e.action === 'translate')!;
    const v1 = data.specs[0]!.spec as { meta: Record<string, string>; params: Record<string, { value: number }> };
    const v2rec = data.specs[1]!;
    const v2 = v2rec.spec as typeof v1;
    const translator = await zoom('2', '2 Translator');
    expect(translator.replace(/\s+/g, ' ')).toContain(String(translate.payload.summary));
    expect(translator).toContain(`${v1.meta.style} · ${v1.meta.holding_period} holding · ${v1.meta.volatility_preference} vol · ${v1.meta.market_type}`);

    // ③ Spec: the second version's hashes and its diff against the first (params only).
    expect(data.specs).toHaveLength(2);
    expect(v2rec.parent).toBe(data.specs[0]!.id);
    const spec = await zoom('3', '3 Spec');
    expect(spec).toContain(`v2 ← v1`);
    expect(spec).toContain(`id ${v2rec.id.slice(0, 8)}…  logic ${v2rec.logic_hash.slice(0, 6)}…  params ${v2rec.params_hash.slice(0, 6)}…`);
    const changed = Object.keys(v1.params).filter((k) => v1.params[k]!.value !== v2.params[k]!.value);
    expect(changed.length).toBeGreaterThan(0);
    for (const k of changed) expect(spec).toContain(`params.${k}.value: ${v1.params[k]!.value} → ${v2.params[k]!.value}`);
    expect(spec).toContain(`${changed.length} change(s), params only`);

    // ④ Compiler: counted by hand from EDGE_IDEA: one rsi, two long-side comparisons, no short side, two params.
    const compiler = await zoom('4', '4 Compiler');
    expect(compiler).toContain('1/5 ind · 2/6 long · 0/6 short · 2/6 params');
    expect(compiler).toMatch(/← rsi\(.*period \$len\)/);
    expect(compiler).toContain('causal ✓');

    // ⑤ Director: the last round's offers in order, with what the user decided (after the
    // optimisation the tuned version's promotion, the walk-forward and the kill were left, all vetoed).
    const director = await zoom('5', '5 Director');
    expect(data.proposals.slice(-4).map((p) => p.action)).toEqual(['optimize', 'promote', 'walk_forward', 'kill']);
    expect(director).toMatch(/1\. × promote[\s\S]*2\. × walk_forward[\s\S]*3\. × kill/);

    // ⑥ Engine: every series of the batch done, runs and family trials as the store counts them, the last run's equity.
    const engine = await zoom('6', '6 Engine');
    for (const s of ['S01A', 'S01B', 'S01C', 'S01D', 'S01E', 'S01F', 'S01G', 'S01H']) expect(engine).toContain(`${s}@1d ████`);
    const trials = data.ledger.filter((e) => e.kind === 'trial').length;
    expect(engine).toContain(`${data.runs.length} runs · ${trials} trials`);
    const lastRun = data.runs.at(-1)!;
    const store = await openStore(dir, { readonly: true });
    const equity = await store.readF64Artifact(lastRun.artifacts.equity.hash);
    expect(engine).toContain(`equity ${lastRun.symbols[0]}@${lastRun.interval}`);
    expect(engine).toContain(`last ${equity[equity.length - 1]!.toFixed(2)}`);

    // ⑦ Gates: each gate of the last judging, as the store recorded it.
    const gates = await zoom('7', '7 Gates');
    const judged = data.gates.slice(-6);
    for (const g of judged) expect(gates).toContain(`${g.verdict === 'PASS' ? '✓' : g.verdict === 'FAIL' ? '✗' : '◌'} ${g.gate}`);
    const viability = judged.find((g) => g.gate === 'viability')!.measured.checks as Array<{ name: string; value: number }>;
    const rate = viability.find((c) => c.name === 'scope_trade_rate')!.value;
    expect(gates).toContain(`scope_trade_rate ${rate.toFixed(1)} ≥ 100`);

    // ⑧ Reviewer: the last stored review, word for word.
    const reviewer = await zoom('8', '8 Reviewer');
    const review = data.reviews.at(-1)!.payload as { diagnosis: string };
    expect(reviewer.split('\n').slice(1).join(' ').replace(/\s+/g, ' ')).toContain(review.diagnosis.replace(/\s+/g, ' '));

    // ⑨ Decision: the verdict, its reason, and the credits the ledger says were spent.
    const decision = await zoom('9', '9 Decision');
    const session = data.sessions[0]!;
    const spent = data.ledger.filter((e) => e.kind === 'spend').reduce((a, e) => a + e.cost, 0);
    expect(decision.replace(/\s+/g, ' ')).toContain(`${session.status}: ${session.reason}`);
    expect(decision).toContain(`spent ${spent} credits`);
    expect(st.spent).toBe(spent);

    // The ledger line ends with the newest entry; the history holds each iteration once, in order.
    await drawn.press('0');
    const back = await drawn.waitFor((x) => x.includes('─ 2 Translator') && x.includes('─ 9 Decision'), 5_000, 'the grid');
    const newest = data.ledger.at(-1)!;
    expect(back).toContain(`ledger #${newest.seq} ${newest.action}`);
    const order = ['▸ initial_backtest', '▸ add_symbol', '× regime_expansion', '▸ optimize', '× walk_forward', `■ ${session.status}`].map((t) => end.indexOf(t));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });
});

/**
 * The constitutional invariants I1–I9 (DESIGN §6): each is a hard, typed error with its own code
 * (`InvariantError.code`), and each test below tries to break it through a public surface — the
 * research loop driven by hand-built LoopDeps (the real wiring from research-wiring.ts with one
 * port swapped: a policy, an engine, a director, a reviewer), the Budget, the store's transaction,
 * the ledger command. Where a guard cannot be reached through the loop the test says so and uses
 * the smallest public surface that reaches it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { Budget } from '../../src/core/budget/budget.ts';
import { DEFAULT_COST_TABLE, type Action } from '../../src/core/budget/cost-table.ts';
import { ladderCheck } from '../../src/core/director/intervals.ts';
import { UserError } from '../../src/core/errors.ts';
import { INVARIANTS, InvariantError, isInvariantError, type InvariantCode } from '../../src/core/invariants.ts';
import { assertAppendOnly } from '../../src/core/ledger/append-only.ts';
import { entryHash } from '../../src/core/ledger/chain.ts';
import type { LedgerEntry } from '../../src/core/ledger/schema.ts';
import type { ResearchEvent } from '../../src/core/research/events.ts';
import { runResearch, type LoopDeps } from '../../src/core/research/loop.ts';
import type { Policy } from '../../src/core/research/policy.ts';
import type { CandidateProposal, DirectorPort, DirectorRanking, Review, ReviewerPort, TranslationOut } from '../../src/core/research/ports.ts';
import type { ResearchState } from '../../src/core/research/state.ts';
import { canonicalJson } from '../../src/core/spec/hash.ts';
import type { Spec } from '../../src/core/spec/schema.ts';
import type { StoreData } from '../../src/core/store/schema.ts';
import { openStore } from '../../src/core/store/store.ts';
import { approveAllAndPromote } from '../../src/agents/rules/index.ts';
import { openUniverse } from '../../src/commands/data-source.ts';
import { bufferIo } from '../../src/commands/io.ts';
import { researchDeps } from '../../src/commands/research-wiring.ts';
import { EDGE_IDEA, EDGE_MARKET, ROOT, inproc, parseEvents, readStoreFile, storeProblems, summaryOf, tuneFirst, workspace } from '../research/helpers.ts';
import { DirectorNoteSchema, DirectorRankingSchema, ReviewSchema } from '../../src/core/research/replies.ts';
import { main } from '../../src/cli.ts';

const ws = workspace('invariants');
afterAll(() => ws.cleanup());
const market = join(ws.dir, 'edge');
let dbCount = 0;
const freshDb = (): string => join(ws.dir, `db${dbCount++}`);

beforeAll(async () => {
  const r = await inproc(['data', 'synth', ...EDGE_MARKET, '--out', market], ws.env);
  expect(r.code, r.stderr).toBe(0);
});

// ───────────────────────────── loop harness ─────────────────────────────

/** The real composition root (engine, rules agents, gates, store, budget), with `over` swapped in. */
async function loopDeps(db: string, over: (base: LoopDeps) => Partial<LoopDeps> = () => ({}), credits = 1000): Promise<LoopDeps> {
  const io = bufferIo(ws.env, ROOT);
  const store = await openStore(db);
  const base = researchDeps({ universe: openUniverse(io, market), store, approver: approveAllAndPromote, seed: 1, budget: new Budget({ credits }), mode: 'auto', io });
  return { ...base, ...over(base) };
}

async function drive(idea: string, deps: LoopDeps): Promise<{ events: ResearchEvent[]; error: unknown }> {
  const events: ResearchEvent[] = [];
  try {
    for await (const e of runResearch(idea, deps)) events.push(e);
    return { events, error: null };
  } catch (error) {
    return { events, error };
  } finally {
    await deps.store.close();
  }
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

function expectInvariant(error: unknown, code: InvariantCode): void {
  expect(error, `expected InvariantError ${code}`).toBeInstanceOf(InvariantError);
  expect((error as InvariantError).code).toBe(code);
  expect(isInvariantError(error, code)).toBe(true);
  expect((error as Error).message).toContain(`invariant ${code} violated`);
}

/** A candidate priced from the default table (the budget in these tests uses it). */
function candidate(action: Action, detail: Record<string, unknown>, over: Partial<CandidateProposal> = {}): CandidateProposal {
  return { id: `test:${action}`, action, detail, cost: DEFAULT_COST_TABLE[action], rationale: `a test proposal to ${action}`, ...over };
}

/** The rules' policy, except that once `when(state)` holds it offers `offer(state)` instead. */
function hijack(base: Policy, when: (s: ResearchState) => boolean, offer: (s: ResearchState) => CandidateProposal[]): Policy {
  return { ...base, proposeNext: (s, u) => (when(s) ? offer(s) : base.proposeNext(s, u)) };
}

const symbolsOf = (s: ResearchState): string[] => [...new Set(s.keys.map((k) => k.symbol))];
const spends = (d: StoreData): LedgerEntry[] => d.ledger.filter((e) => e.kind === 'spend');

/** The spec with every param value removed, and the labels (name, idea, parent): what I1 freezes. Written here, not taken from hash.ts. */
function logicOnly(spec: Spec): string {
  const { name: _n, idea: _i, parent: _p, params, ...rest } = spec;
  return canonicalJson({ ...rest, params: Object.fromEntries(Object.entries(params).map(([k, { value: _v, ...range }]) => [k, range])) });
}

// ───────────────────────────── the codes ─────────────────────────────

describe('InvariantError', () => {
  it('has one code per invariant, I1–I9, and carries it', () => {
    expect(Object.keys(INVARIANTS)).toEqual(['I1', 'I2', 'I3', 'I4', 'I5', 'I6', 'I7', 'I8', 'I9']);
    for (const code of Object.keys(INVARIANTS) as InvariantCode[]) {
      const e = new InvariantError(code, 'detail');
      expect(e.code).toBe(code);
      expect(e).toBeInstanceOf(Error);
      expect(e.name).toBe('InvariantError');
      expect(e.message).toBe(`invariant ${code} violated (${INVARIANTS[code]}): detail`);
      expect(isInvariantError(e, code)).toBe(true);
      expect(isInvariantError(e, code === 'I1' ? 'I2' : 'I1')).toBe(false);
    }
    expect(isInvariantError(new UserError('x'))).toBe(false);
  });
});

// ───────────────────────────── I1, I2 ─────────────────────────────

describe('I1 logic frozen after the first review · I2 no indicator added after compile · I5 the holdout opens once', () => {
  // One complete research on the planted-edge market (it optimises, walks forward and promotes),
  // then a second session of the same idea on the same store (used by I5 below).
  let first: StoreData;
  let second: { events: ResearchEvent[]; error: unknown; data: StoreData };
  const shared = join(ws.dir, 'shared');
  beforeAll(async () => {
    // A researcher who tunes before confirming, so that the optimiser and a new version are exercised.
    const a = await drive(EDGE_IDEA, await loopDeps(shared, () => ({ approver: tuneFirst() })));
    expect(a.error).toBeNull();
    expect(summaryOf(a.events).status).toBe('PROMOTED');
    first = readStoreFile(shared)!;
    const b = await drive(EDGE_IDEA, await loopDeps(shared, () => ({ approver: tuneFirst() })));
    second = { ...b, data: readStoreFile(shared)! };
  }, 60_000);

  it('every spec version a full research wrote keeps the logic and the indicators of the first, with params inside their declared ranges', () => {
    const specs = first.specs.map((r) => r.spec as unknown as Spec);
    expect(specs.length).toBeGreaterThanOrEqual(2); // the optimiser made a new version
    const root = specs[0]!;
    for (const s of specs) {
      expect(logicOnly(s)).toBe(logicOnly(root));
      expect(s.indicators).toEqual(root.indicators);
      for (const [name, p] of Object.entries(s.params)) {
        expect(p.value, name).toBeGreaterThanOrEqual(p.min);
        expect(p.value, name).toBeLessThanOrEqual(p.max);
      }
    }
    // Lineage: every version after the first names its parent, which is stored.
    for (const r of first.specs.slice(1)) expect(first.specs.map((x) => x.id)).toContain(r.parent);
  });

  it('I2: an engine whose compile reports one more indicator for a new version is refused with I2, and the version is not stored', async () => {
    const db = freshDb();
    const deps = await loopDeps(db, (base) => ({
      approver: tuneFirst(),
      engine: {
        ...base.engine,
        compile: (spec) => {
          const r = base.engine.compile(spec);
          return spec.parent === undefined || spec.parent === null ? r : { ...r, complexity: { ...r.complexity, indicators: r.complexity.indicators + 1 } };
        },
      },
    }));
    const { events, error } = await drive(EDGE_IDEA, deps);
    expectInvariant(error, 'I2');
    expect(events.some((e) => e.event === 'spec_version')).toBe(false);
    const data = readStoreFile(db)!;
    expect(data.specs).toHaveLength(1);
    expect(storeProblems(data)).toEqual([]);
  });

  it('I1: an optimiser that ignores the declared ranges cannot move the strategy off them — no new version is stored and no run uses it', async () => {
    // The loop's I1 guard compares logic hashes of the old and the new version; a new version is
    // built from the old spec with only param values replaced, so the one way an optimiser can
    // breach "only params change, within their declared ranges" is a value outside the range.
    const db = freshDb();
    const deps = await loopDeps(db, (base) => ({
      approver: tuneFirst(),
      engine: {
        ...base.engine,
        optimize: async (spec, keys, o) => {
          const r = await base.engine.optimize(spec, keys, o);
          return { ...r, best: { ...r.best, len: 99, bogus: 1 } };
        },
      },
    }));
    const { events, error } = await drive(EDGE_IDEA, deps);
    expect(error).not.toBeNull();
    expect(events.some((e) => e.event === 'spec_version')).toBe(false);
    const data = readStoreFile(db)!;
    expect(data.specs).toHaveLength(1);
    expect(data.runs.every((r) => r.params.len === 2)).toBe(true);
  });

  // BUG (reported): the refusal above is a CompileError (UserError, exit 2 — "bad input", blaming the
  // user) thrown by engine.compile, not InvariantError I1; the session is also left RUNNING.
  it('I1: that refusal is the typed invariant I1', async () => {
    const deps = await loopDeps(freshDb(), (base) => ({
      approver: tuneFirst(),
      engine: { ...base.engine, optimize: async (spec, keys, o) => ({ ...(await base.engine.optimize(spec, keys, o)), best: { len: 99, lo: 30 } }) },
    }));
    const { error } = await drive(EDGE_IDEA, deps);
    expectInvariant(error, 'I1');
  });

  it('I5: a second session of the same idea on the same store ran (sanity for the holdout test below)', () => {
    expect(second.error).toBeNull();
    expect(first.ledger.filter((e) => e.action === 'holdout:open')).toHaveLength(1);
  });

  // BUG (reported): the sealed holdout is "opened once, at promotion" (DESIGN §6), but the loop keeps
  // `holdoutOpened` per session and never reads the ledger's holdout:open records, so a second
  // session of the same idea re-opens the holdout of the very same spec version (and promotes again).
  it('I5: the holdout of a spec version is never opened twice, not even by a later session', () => {
    const opened = second.data.ledger.filter((e) => e.action === 'holdout:open').map((e) => e.spec_id);
    expect(new Set(opened).size).toBe(opened.length);
  });
});

// ───────────────────────────── I3 ─────────────────────────────

describe('I3 timeframe changes follow the ladder, one step at a time', () => {
  it('ladderCheck allows exactly one rung up or down', () => {
    const ladder = ['1m', '5m', '15m', '1h', '4h', '1d'] as const;
    for (let a = 0; a < ladder.length; a++) {
      for (let b = 0; b < ladder.length; b++) {
        const step = () => ladderCheck(ladder[a]!, ladder[b]!);
        if (Math.abs(a - b) === 1) expect(step).not.toThrow();
        else {
          expectInvariant(thrown(step), 'I3');
        }
      }
    }
    for (const off of ['10m', '30m'] as const) {
      expectInvariant(thrown(() => ladderCheck(off, '1h')), 'I3');
      expectInvariant(thrown(() => ladderCheck('1h', off)), 'I3');
    }
  });

  it('the loop refuses an add_interval two rungs away (1d → 1h) with I3 and runs nothing there', async () => {
    const db = freshDb();
    const deps = await loopDeps(db, (base) => ({
      policy: hijack(base.policy, (s) => s.runs.length > 0 && s.phase.kind !== 'starter',
        (s) => [candidate('add_interval', { from: s.interval, interval: '1h', direction: 'down', symbols: symbolsOf(s) }, { id: 'add_interval:1d->1h' })]),
    }));
    const { error } = await drive(EDGE_IDEA, deps);
    expectInvariant(error, 'I3');
    const data = readStoreFile(db)!;
    expect(data.runs.filter((r) => r.interval !== '1d')).toEqual([]);
    expect(storeProblems(data)).toEqual([]);
  });
});

// ───────────────────────────── I4 ─────────────────────────────

describe('I4 no optimisation before an out-of-sample pass', () => {
  it('an optimize offered right after the first backtest is refused with I4: no trial is recorded, no version made', async () => {
    const db = freshDb();
    const deps = await loopDeps(db, (base) => ({
      policy: hijack(base.policy, (s) => s.runs.length > 0, (s) => [candidate('optimize', { interval: s.interval, symbols: symbolsOf(s), params: ['len', 'lo'] }, { id: 'optimize@1d' })]),
    }));
    const { events, error } = await drive(EDGE_IDEA, deps);
    expectInvariant(error, 'I4');
    expect(events.some((e) => e.event === 'trials' || e.event === 'spec_version')).toBe(false);
    const data = readStoreFile(db)!;
    // The starter set was never judged, so not even the spec as written was recorded as a trial.
    expect(data.ledger.filter((e) => e.kind === 'trial')).toEqual([]);
    expect(data.specs).toHaveLength(1);
    expect(data.gates.some((g) => g.gate === 'robustness')).toBe(false);
  });

  // BUG (reported): the loop writes the spend (proposal + approval + ledger spend) in one transaction
  // and checks I3/I4/I5 only afterwards, inside execute(); so the refused step is paid for (here 20
  // credits for an optimisation that never ran), while the CLI tells the user "Nothing was spent for
  // the failed step". The same holds for I3 (8 credits) and I5.
  it('I4: the refused optimisation costs nothing', async () => {
    const db = freshDb();
    const deps = await loopDeps(db, (base) => ({
      policy: hijack(base.policy, (s) => s.runs.length > 0, (s) => [candidate('optimize', { interval: s.interval, symbols: symbolsOf(s), params: ['len', 'lo'] }, { id: 'optimize@1d' })]),
    }));
    const { error } = await drive(EDGE_IDEA, deps);
    expectInvariant(error, 'I4');
    expect(spends(readStoreFile(db)!).map((e) => e.action)).not.toContain('optimize');
  });
});

// ───────────────────────────── I5 ─────────────────────────────

describe('I5 promotion only after every gate ran and passed', () => {
  it('a promote offered before any gate ran is refused with I5; the holdout stays sealed', async () => {
    const db = freshDb();
    const deps = await loopDeps(db, (base) => ({
      policy: hijack(base.policy, (s) => s.runs.length > 0, (s) => [candidate('promote', { interval: s.interval, symbols: symbolsOf(s), fresh: [], segments: ['SEC1'], stable_across: 'confirmation' }, { id: 'promote@1d' })]),
    }));
    const { events, error } = await drive(EDGE_IDEA, deps);
    expectInvariant(error, 'I5');
    expect(events.some((e) => e.event === 'run' && e.segment === 'holdout')).toBe(false);
    const data = readStoreFile(db)!;
    expect(data.ledger.filter((e) => e.action === 'holdout:open' || e.kind === 'reset')).toEqual([]);
    expect(data.runs.filter((r) => r.summary.segment !== 'visible')).toEqual([]);
    expect(data.library).toEqual([]);
  });

  // "After the gates but before the review" cannot be reached through the loop: execute() always
  // runs the Reviewer right after the gates, before the next Director round can offer anything.
});

// ───────────────────────────── I6 ─────────────────────────────

describe('I6 no credit spent without a justified Director proposal and (interactive) the user\'s approval', () => {
  const budget = new Budget();
  const granted = (): LedgerEntry[] => [{
    seq: 0, ts: '2026-01-01T00:00:00.000Z', session: 's', kind: 'grant', action: 'budget', cost: 0, credit: 1000, balance: 1000, payload: {},
    prev: '0'.repeat(64), hash: 'f'.repeat(64),
  }];
  const proposal = (over: Record<string, unknown> = {}): Record<string, unknown> => ({ action: 'optimize', quantity: 1, cost: 20, expected_information_gain: 'whether tuning helps', justification: 'the out-of-sample check passed', ...over });
  const spend = (over: { proposal?: unknown; approval?: unknown; mode?: 'interactive' | 'auto' }) => () => budget.spend(granted(), {
    session: 's', proposal_id: 'p1', mode: over.mode ?? 'auto',
    proposal: 'proposal' in over ? over.proposal : proposal(),
    approval: ('approval' in over ? over.approval : { by: 'auto', decision: 'approved' }) as never,
  });
  const cases: Array<[string, () => unknown]> = [
    ['a blank justification', spend({ proposal: proposal({ justification: '   ' }) })],
    ['no expected information gain', spend({ proposal: proposal({ expected_information_gain: undefined }) })],
    ['no approval', spend({ approval: undefined })],
    ['an automatic approval in an interactive session', spend({ mode: 'interactive' })],
    ['a repriced proposal (optimize for 1 credit)', spend({ proposal: proposal({ cost: 1 }) })],
    ['a repriced proposal (optimize for 0 credits)', spend({ proposal: proposal({ cost: 0 }) })],
    ['a per-step action bought in bulk (optimize × 2)', spend({ proposal: proposal({ quantity: 2, cost: 40 }) })],
    ['an add_symbol priced per step, not per symbol', spend({ proposal: proposal({ action: 'add_symbol', quantity: 3, cost: 5 }) })],
    ['an action the table does not price', spend({ proposal: proposal({ action: 'buy_more_credits' }) })],
    ['a proposal with a field the schema does not know (a verdict)', spend({ proposal: proposal({ verdict: 'PROMOTED' }) })],
  ];
  for (const [what, act] of cases) {
    it(`Budget.spend refuses ${what} with I6`, () => {
      expectInvariant(thrown(act), 'I6');
    });
  }

  it('Budget.spend accepts the same proposal when it is table-priced, justified and approved', () => {
    expect(spend({})()).toMatchObject({ status: 'approved', cost: 20, balance: 980 });
    expect(spend({ mode: 'interactive', approval: { by: 'user', decision: 'approved' } })()).toMatchObject({ status: 'approved' });
  });

  it('the store refuses a spend entry without a proposal or an approval (I6) and leaves the file as it was', async () => {
    const db = freshDb();
    const store = await openStore(db);
    await store.transaction((tx) => { tx.appendLedger({ session: 's', kind: 'grant', action: 'budget', credit: 100 }); });
    const bytes = readFileSync(join(db, 'store.json'));
    for (const bad of [
      { session: 's', kind: 'spend' as const, action: 'optimize', cost: 20, approval: { by: 'auto' as const, decision: 'approved' as const } },
      { session: 's', kind: 'spend' as const, action: 'optimize', cost: 20, proposal_id: 'p1' },
      { session: 's', kind: 'record' as const, action: 'sneaky', cost: 5 },
    ]) {
      await expect(store.transaction((tx) => { tx.appendLedger(bad); })).rejects.toSatisfy((e: unknown) => isInvariantError(e, 'I6'));
    }
    await store.close();
    expect(readFileSync(join(db, 'store.json')).equals(bytes)).toBe(true);
  });

  it('through the loop: a candidate priced off the table is refused with I6 before any credit moves', async () => {
    const db = freshDb();
    const deps = await loopDeps(db, (base) => ({
      policy: hijack(base.policy, (s) => s.runs.length > 0, (s) => [candidate('add_symbol', { symbols: ['S01F', 'S01G'], interval: s.interval, sector: null, purpose: 'breadth', tested: 1, positive: 1 }, { id: 'cheap', cost: 1 })]),
    }));
    const { error } = await drive(EDGE_IDEA, deps);
    expectInvariant(error, 'I6');
    const data = readStoreFile(db)!;
    expect(spends(data).map((e) => e.action)).toEqual(['initial_backtest']);
    expect(data.proposals.map((p) => p.payload.candidate)).not.toContain('cheap');
  });

  it('through the loop: a proposal nobody justified (blank rationale, blank Director prose) is refused with I6', async () => {
    const db = freshDb();
    const deps = await loopDeps(db, (base) => ({
      director: { rank: async (input) => ({ source: 'test', value: { order: input.candidates.map((c) => c.id), notes: Object.fromEntries(input.candidates.map((c) => [c.id, { justification: ' ', expected_information_gain: ' ' }])) } }) } satisfies DirectorPort,
      policy: hijack(base.policy, (s) => s.runs.length > 0, (s) => [candidate('add_symbol', { symbols: ['S01F'], interval: s.interval, sector: null, purpose: 'breadth', tested: 1, positive: 1 }, { id: 'unjustified', rationale: '' })]),
    }));
    const { error } = await drive(EDGE_IDEA, deps);
    expectInvariant(error, 'I6');
    expect(spends(readStoreFile(db)!).map((e) => e.action)).toEqual(['initial_backtest']);
  });

  it('through the loop, interactive: every spend carries the user\'s approval', async () => {
    const db = freshDb();
    const deps = await loopDeps(db, () => ({ mode: 'interactive' }), 40);
    const { events, error } = await drive(EDGE_IDEA, deps);
    expect(error).toBeNull();
    expect(summaryOf(events).status).toBe('FROZEN');
    const s = spends(readStoreFile(db)!);
    expect(s.length).toBeGreaterThan(0);
    for (const e of s) expect(e.approval).toEqual({ by: 'user', decision: 'approved' });
  });
});

// ───────────────────────────── I7 ─────────────────────────────

describe('I7 the budget is never negative and never reset except by promotion', () => {
  const budget = new Budget({ credits: 50 });

  it('a second grant, by the Budget or straight into the store, is I7', async () => {
    const db = freshDb();
    const store = await openStore(db);
    await store.transaction((tx) => { tx.appendLedger(budget.grant(tx.ledger(), 's')); });
    expectInvariant(thrown(() => budget.grant(store.ledger(), 's')), 'I7');
    await expect(store.transaction((tx) => { tx.appendLedger({ session: 's', kind: 'grant', action: 'budget', credit: 50 }); }))
      .rejects.toSatisfy((e: unknown) => isInvariantError(e, 'I7'));
    // Overdraw, a credit smuggled into a spend, a reset without a promotion: all I7, nothing written.
    for (const bad of [
      { session: 's', kind: 'spend' as const, action: 'optimize', cost: 51, proposal_id: 'p', approval: { by: 'auto' as const, decision: 'approved' as const } },
      { session: 's', kind: 'spend' as const, action: 'optimize', cost: 0, credit: 10, proposal_id: 'p', approval: { by: 'auto' as const, decision: 'approved' as const } },
      { session: 's', kind: 'reset' as const, action: 'promote', credit: 1000 },
      { session: 'nobody', kind: 'record' as const, action: 'note' },
    ]) {
      await expect(store.transaction((tx) => { tx.appendLedger(bad); })).rejects.toSatisfy((e: unknown) => isInvariantError(e, 'I7'));
    }
    expect(store.ledger()).toHaveLength(1);
    await store.close();
  });

  it('a spend the balance cannot pay is not made: FROZEN, balance unchanged, a zero-cost record', () => {
    const entries: LedgerEntry[] = [{ seq: 0, ts: '2026-01-01T00:00:00.000Z', session: 's', kind: 'grant', action: 'budget', cost: 0, credit: 15, balance: 15, payload: {}, prev: '0'.repeat(64), hash: 'f'.repeat(64) }];
    const r = budget.spend(entries, { session: 's', proposal_id: 'p', mode: 'auto', approval: { by: 'auto', decision: 'approved' }, proposal: { action: 'optimize', cost: 20, expected_information_gain: 'x', justification: 'y' } });
    expect(r).toMatchObject({ status: 'FROZEN', balance: 15, entry: { kind: 'record', action: 'freeze' } });
    expect(r.entry.cost ?? 0).toBe(0);
  });

  it('only a valid promotion record resets a budget, and each promotion pays once', () => {
    const entries: LedgerEntry[] = [{ seq: 0, ts: '2026-01-01T00:00:00.000Z', session: 's', kind: 'grant', action: 'budget', cost: 0, credit: 50, balance: 50, payload: {}, prev: '0'.repeat(64), hash: 'f'.repeat(64) }];
    const promo = { id: 'pr1', session: 's', spec_id: 'a'.repeat(64), promoted_at: '2026-01-01T00:00:00.000Z', all_gates_passed: true, holdout_opened: true, stable_across: 'sector:SEC2' };
    for (const bad of [{ ...promo, all_gates_passed: false }, { ...promo, holdout_opened: false }, { ...promo, stable_across: ' ' }, { ...promo, session: 'other' }, null]) {
      expectInvariant(thrown(() => budget.resetByPromotion(entries, bad)), 'I7');
    }
    expect(budget.resetByPromotion(entries, promo)).toMatchObject({ kind: 'reset', promotion_id: 'pr1' });
    const paid: LedgerEntry[] = [...entries, { ...entries[0]!, seq: 1, kind: 'reset', action: 'promote', credit: 0, promotion_id: 'pr1' }];
    expectInvariant(thrown(() => budget.resetByPromotion(paid, promo)), 'I7');
  });

  it('through the CLI: a small budget ends FROZEN and no balance in the ledger is ever negative', async () => {
    const db = freshDb();
    const r = await inproc(['research', EDGE_IDEA, '--universe', market, '--approve', 'all', '--budget', '25', '--db', db, '--json'], ws.env);
    expect(r.code, r.stderr).toBe(0);
    const s = summaryOf(parseEvents(r.stdout));
    expect(s.status).toBe('FROZEN');
    const data = readStoreFile(db)!;
    let balance = 0;
    for (const e of data.ledger) {
      balance += e.credit - e.cost;
      expect(balance).toBeGreaterThanOrEqual(0);
      expect(e.balance).toBe(balance);
    }
    expect(data.ledger.filter((e) => e.kind === 'grant')).toHaveLength(1);
    expect(data.ledger.filter((e) => e.kind === 'reset')).toEqual([]);
  });

  // BUG (reported): the rules drop proposals the balance cannot pay before the loop sees them, so the
  // loop's "budget exhausted" branch never fires and a session that ran out of credits says "the
  // Director has nothing left to propose" (here: 15 credits left, the starter set costs 20).
  it('through the CLI: a session that runs out of credits says so', async () => {
    const r = await inproc(['research', EDGE_IDEA, '--universe', market, '--approve', 'all', '--budget', '25', '--db', freshDb(), '--json'], ws.env);
    expect(summaryOf(parseEvents(r.stdout)).reason).toMatch(/budget|credits/);
  });
});

// ───────────────────────────── I8 ─────────────────────────────

describe('I8 LLM output never carries metrics, costs or verdicts', () => {
  // What exists: DirectorRanking and Review are TypeScript interfaces (src/core/research/ports.ts)
  // with no field for a metric, a cost or a verdict — but there is no runtime (zod) schema for
  // either LLM reply, so nothing checks what an LLM actually returns.
  it('the reply types (the only "schemas" so far) have no field for a metric, a cost or a verdict — checked by tsc', () => {
    expectTypeOf<keyof DirectorRanking>().toEqualTypeOf<'order' | 'notes'>();
    expectTypeOf<keyof DirectorRanking['notes'][string]>().toEqualTypeOf<'justification' | 'expected_information_gain'>();
    expectTypeOf<keyof Review>().toEqualTypeOf<'diagnosis' | 'intent_match' | 'unsupported_numbers'>();
    expectTypeOf<keyof TranslationOut>().toEqualTypeOf<'spec' | 'summary' | 'warnings'>();
  });

  it('the reply schemas have no metric, cost or verdict field, and drop any such field an agent sends', () => {
    const forbidden = ['sharpe', 'cost', 'verdict', 'pass', 'status', 'credits', 'metrics', 'price'];
    for (const schema of [ReviewSchema, DirectorRankingSchema, DirectorNoteSchema]) {
      for (const key of Object.keys(schema.shape)) expect(forbidden).not.toContain(key);
    }
    const review = ReviewSchema.parse({ diagnosis: 'fine', intent_match: 'yes', unsupported_numbers: [], verdict: 'PASS', sharpe: 9, cost: 0 });
    expect(Object.keys(review).sort()).toEqual(['diagnosis', 'intent_match', 'unsupported_numbers']);
    const ranking = DirectorRankingSchema.parse({ order: ['a'], notes: { a: { justification: 'j', expected_information_gain: 'g', cost: 0 } }, cost: 5, status: 'PROMOTED' });
    expect(Object.keys(ranking).sort()).toEqual(['notes', 'order']);
    expect(Object.keys(ranking.notes.a!).sort()).toEqual(['expected_information_gain', 'justification']);
  });

  it('a Director that invents a candidate, reprices one and claims a verdict changes nothing: only rule-built candidates are offered, at table prices', async () => {
    const db = freshDb();
    const offered: Array<{ id: string; cost: number }> = [];
    const rogue: DirectorPort = {
      rank: async (input) => ({
        source: 'ollama:rogue@0',
        value: {
          order: ['promote@4h', 'free-credits', ...input.candidates.map((c) => c.id)],
          notes: Object.fromEntries([...input.candidates.map((c) => c.id), 'promote@4h'].map((id) => [id, {
            justification: 'trust me', expected_information_gain: 'a Sharpe of 9', cost: 0, verdict: 'PROMOTED', sharpe: 9,
          } as { justification: string; expected_information_gain: string }])),
        },
      }),
    };
    const deps = await loopDeps(db, () => ({
      director: rogue,
      approver: { decide: async (p) => { offered.push({ id: p.id, cost: p.cost }); return { decision: 'approve' }; } },
    }), 60);
    const { error } = await drive(EDGE_IDEA, deps);
    expect(error).toBeNull();
    expect(offered.length).toBeGreaterThan(0);
    // Only ids the rules built: the invented promotion at an interval never tested and the free credits are not offered.
    expect(offered.map((o) => o.id)).not.toContain('promote@4h');
    expect(offered.map((o) => o.id)).not.toContain('free-credits');
    const data = readStoreFile(db)!;
    for (const e of spends(data)) {
      const p = data.proposals.find((x) => x.id === e.proposal_id)!;
      const expected = e.action === 'add_symbol' ? DEFAULT_COST_TABLE.add_symbol * p.quantity
        : e.action === 'promote' ? DEFAULT_COST_TABLE.promote + DEFAULT_COST_TABLE.add_symbol * p.quantity : DEFAULT_COST_TABLE[e.action as Action];
      expect(e.cost, e.action).toBe(expected);
      expect(Object.keys(p).sort()).toEqual(['action', 'cost', 'created_at', 'expected_information_gain', 'id', 'justification', 'payload', 'quantity', 'session', 'source', 'spec_id']);
    }
  });

  it('the review records of a run with the rules reviewer hold prose only: diagnosis, intent_match, unsupported_numbers', async () => {
    const db = freshDb();
    const { error } = await drive(EDGE_IDEA, await loopDeps(db, () => ({}), 40));
    expect(error).toBeNull();
    const reviews = readStoreFile(db)!.reviews;
    expect(reviews.length).toBeGreaterThan(0);
    for (const r of reviews) expect(Object.keys(r.payload).sort()).toEqual(['diagnosis', 'intent_match', 'unsupported_numbers']);
  });

  // BUG (reported): the loop stores the Reviewer's reply as `payload: { ...out.value }`, so whatever an
  // LLM adds — a verdict, a Sharpe, a cost — lands in the store's review records.
  it('a Reviewer reply with a verdict and metrics attached is not stored with them', async () => {
    const db = freshDb();
    const rogue: ReviewerPort = {
      review: async () => ({ source: 'ollama:rogue@0', value: { diagnosis: 'looks great', intent_match: 'yes', unsupported_numbers: [], verdict: 'PROMOTED', sharpe: 9.7, cost: 0 } as never }),
    };
    const { error } = await drive(EDGE_IDEA, await loopDeps(db, () => ({ reviewer: rogue }), 40));
    expect(error).toBeNull();
    for (const r of readStoreFile(db)!.reviews) expect(Object.keys(r.payload).sort()).toEqual(['diagnosis', 'intent_match', 'unsupported_numbers']);
  });

  // BUG (reported): `unsupported_numbers` is whatever the Reviewer says it is; the loop never
  // recomputes it (unsupportedNumbers in src/core/anonymise/numbers.ts exists), so an LLM that quotes
  // an invented metric and reports no unsupported numbers is trusted.
  it('a number the Reviewer invents is flagged even when the Reviewer does not flag it', async () => {
    const rogue: ReviewerPort = { review: async () => ({ source: 'ollama:rogue@0', value: { diagnosis: 'The Sharpe ratio is 7.31.', intent_match: 'yes', unsupported_numbers: [] } }) };
    const { events } = await drive(EDGE_IDEA, await loopDeps(freshDb(), () => ({ reviewer: rogue }), 40));
    const reviews = events.filter((e) => e.event === 'review');
    expect(reviews.length).toBeGreaterThan(0);
    for (const r of reviews) if (r.event === 'review') expect(r.unsupported_numbers).toContain('7.31');
  });
});

// ───────────────────────────── I9 ─────────────────────────────

describe('I9 the ledger is append-only', () => {
  /** A small real store: grant, translation, two spends, runs, gates, verdict. */
  async function smallStore(): Promise<string> {
    const db = freshDb();
    const r = await inproc(['research', EDGE_IDEA, '--universe', market, '--approve', 'all', '--budget', '30', '--db', db, '--json'], ws.env);
    expect(r.code, r.stderr).toBe(0);
    return db;
  }
  const tamper = (db: string, edit: (d: StoreData) => void): Buffer => {
    const d = readStoreFile(db)!;
    edit(d);
    writeFileSync(join(db, 'store.json'), `${JSON.stringify(d, null, 2)}\n`);
    return readFileSync(join(db, 'store.json'));
  };

  it('an entry edited on disk: the store refuses to open (exit 3), ledger --verify names the entry (exit 1, I9), the file is untouched', async () => {
    const db = await smallStore();
    const seq = readStoreFile(db)!.ledger.find((e) => e.kind === 'spend')!.seq;
    const bytes = tamper(db, (d) => { (d.ledger[seq] as { cost: number }).cost = 0; });

    const caught = await openStore(db).then(() => undefined, (e: unknown) => e);
    expect(caught).toBeInstanceOf(UserError);
    expect((caught as UserError).exitCode).toBe(3);
    expect((caught as Error).message).toContain(`ledger entry #${seq}`);

    const human = await inproc(['ledger', '--db', db, '--verify'], ws.env);
    expect(human.code).toBe(1);
    expect(human.stderr).toContain(`ledger entry #${seq}: hash does not match`);
    const json = await inproc(['ledger', '--db', db, '--verify', '--json'], ws.env);
    expect((JSON.parse(json.stdout) as { verify: { first_bad: unknown } }).verify.first_bad).toMatchObject({ seq, code: 'I9' });

    const research = await inproc(['research', EDGE_IDEA, '--universe', market, '--approve', 'all', '--db', db], ws.env);
    expect(research.code).toBe(3);
    expect(readFileSync(join(db, 'store.json')).equals(bytes)).toBe(true);
  });

  it('an entry removed from the middle, or two swapped: ledger --verify names where the chain breaks', async () => {
    const db = await smallStore();
    tamper(db, (d) => { d.ledger.splice(2, 1); });
    const removed = await inproc(['ledger', '--db', db, '--verify', '--json'], ws.env);
    expect(removed.code).toBe(1);
    expect((JSON.parse(removed.stdout) as { verify: { first_bad: unknown } }).verify.first_bad).toMatchObject({ seq: 2, code: 'I9' });

    const db2 = await smallStore();
    tamper(db2, (d) => { const [a, b] = [d.ledger[3]!, d.ledger[4]!]; d.ledger[3] = b; d.ledger[4] = a; });
    const swapped = await inproc(['ledger', '--db', db2, '--verify', '--json'], ws.env);
    expect(swapped.code).toBe(1);
    expect((JSON.parse(swapped.stdout) as { verify: { first_bad: unknown } }).verify.first_bad).toMatchObject({ seq: 3, code: 'I9' });
  });

  const rehash = (e: LedgerEntry): LedgerEntry => ({ ...e, hash: entryHash(e) });

  it('assertAppendOnly (the store\'s last check before a write) refuses a changed, a removed or a hand-built entry with I9', async () => {
    const db = await smallStore();
    const before = readStoreFile(db)!.ledger;
    const attempts: Array<[string, LedgerEntry[]]> = [
      ['changed and re-hashed', before.map((e, i) => (i === 1 ? rehash({ ...e, action: 'rewritten' }) : e))],
      ['removed', before.slice(0, -1)],
      ['hand-built', [...before, { ...before.at(-1)!, seq: before.length }]],
    ];
    for (const [what, after] of attempts) {
      const caught = thrown(() => assertAppendOnly(before, after));
      expect((caught as InvariantError | undefined)?.code, what).toBe('I9');
      expectInvariant(caught, 'I9');
    }
    expect(() => assertAppendOnly(before, before)).not.toThrow();
  });

  // BUG / gap (reported): a hash chain without an anchored head cannot see entries cut off its end.
  // Cutting the ledger just before its last spend (and everything after) leaves a valid chain, and
  // nothing cross-checks the decisions whose ledger_seq now points past the end — the store opens.
  it('a ledger truncated on disk (the last spend and what follows removed) is refused', async () => {
    const db = await smallStore();
    const cut = readStoreFile(db)!.ledger.filter((e) => e.kind === 'spend').at(-1)!.seq;
    tamper(db, (d) => { d.ledger.splice(cut); });
    const opened = await openStore(db).then(async (st) => { await st.close(); return 'opened'; }, (e: unknown) => e);
    expect(opened).toBeInstanceOf(UserError);
    expect((opened as UserError).exitCode).toBe(3);
    expect((opened as UserError).message).toMatch(new RegExp(`ends at entry #${cut - 1} but .*ledger\\.head records entry #\\d+: entries were removed`));
    // The chain itself is intact, so only the head shows it; `ledger --verify` reports it (exit 1).
    const io = bufferIo();
    expect(await main(['ledger', '--db', db, '--verify'], io)).toBe(1);
    expect(io.stderr()).toMatch(/entries were removed from the end of the ledger/);
  });
});

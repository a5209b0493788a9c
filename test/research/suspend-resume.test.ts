/**
 * Suspend and resume (issue 18): quitting at a proposal leaves the session SUSPENDED with the
 * proposal unanswered and the ledger whole; resuming replays the recorded part, checks it against
 * the ledger, and goes on live from that proposal, with the same spec, budget and seed streams.
 * The resumed session must reach the same verdict, with the same ledger, as one run straight
 * through with the same decisions, and `--replay` must reproduce it, even when another session
 * wrote to the store while it was suspended.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Budget } from '../../src/core/budget/budget.ts';
import { runResearch } from '../../src/core/research/loop.ts';
import type { ResearchEvent } from '../../src/core/research/events.ts';
import type { ApprovalDecision, ApproverPort } from '../../src/core/research/ports.ts';
import { openStore, type Store } from '../../src/core/store/store.ts';
import { verifyLedger } from '../../src/core/ledger/verify.ts';
import { verifyRecords } from '../../src/core/store/record-digest.ts';
import { bufferIo } from '../../src/commands/io.ts';
import { openUniverse } from '../../src/commands/data-source.ts';
import { researchDeps } from '../../src/commands/research-wiring.ts';
import { runReplay, type ReplayReport } from '../../src/commands/research-replay.ts';
import { prepareResume } from '../../src/commands/resume.ts';
import { resumeProblem } from '../../src/commands/resume-list.ts';
import { rulesAgents } from '../../src/commands/agents-wiring.ts';
import { resumeChoices } from '../../src/commands/console.ts';
import { EDGE_IDEA, EDGE_MARKET, inproc, workspace } from './helpers.ts';

const ws = workspace('resume');
const market = join(ws.dir, 'edge');
afterAll(() => ws.cleanup());
beforeAll(async () => {
  expect((await inproc(['data', 'synth', ...EDGE_MARKET, '--out', market], ws.env)).code).toBe(0);
}, 60_000);

/** Approves everything; from the `suspendAt`-th proposal on (0-based) it answers `suspend`. */
function approver(suspendAt = Infinity): ApproverPort & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    decide: async (p): Promise<ApprovalDecision> => {
      asked.push(p.id);
      return asked.length - 1 >= suspendAt ? { decision: 'suspend' } : { decision: 'approve' };
    },
  };
}

async function session(store: Store, idea: string, a: ApproverPort): Promise<ResearchEvent[]> {
  const io = bufferIo(ws.env, ws.dir);
  const deps = researchDeps({ universe: openUniverse(io, market), store, approver: a, seed: 3, budget: new Budget({ credits: 400 }), mode: 'interactive', io, provenance: { agents: 'rules', universe: market } });
  const out: ResearchEvent[] = [];
  for await (const e of runResearch(idea, deps)) out.push(e);
  return out;
}

async function resume(store: Store, id: string, a: ApproverPort): Promise<ResearchEvent[]> {
  const r = await prepareResume(store, id, { io: bufferIo(ws.env, ws.dir), approver: a, agents: rulesAgents() });
  const out: ResearchEvent[] = [];
  try {
    for await (const e of runResearch(r.idea, r.deps)) out.push(e);
  } finally {
    await r.dispose();
  }
  return out;
}

/**
 * The ledger without wall-clock times: what two runs of the same decisions must share. The closing
 * entry's digest of the session's records is left out too: those records hold facts of the store
 * they were written in (a decision's ledger position, the multiple-testing N that counts the other
 * session's trials), which differ from a straight run in an empty store by design; the digest is
 * checked against the records themselves below.
 */
const timeless = (s: Store, session: string): unknown[] => s.ledger().filter((e) => e.session === session)
  .map((e) => {
    const { records: _digest, ...payload } = e.payload as Record<string, unknown>;
    return { kind: e.kind, action: e.action, cost: e.cost, balance: e.balance, payload };
  });

describe('suspend and resume', () => {
  it('suspends at a proposal and resumes to the verdict a straight run reaches', async () => {
    // The reference: the same idea, seed and decisions, straight through.
    const straight = await openStore(join(ws.dir, 'straight'));
    const ref = await session(straight, EDGE_IDEA, approver());
    const refStatus = ref.find((e) => e.event === 'status');
    expect(refStatus).toBeDefined();

    const db = join(ws.dir, 'suspended');
    let store = await openStore(db);
    const first = approver(2);
    const events = await session(store, EDGE_IDEA, first);
    const suspended = events.at(-1)!;
    expect(suspended).toEqual({ event: 'suspended', session: 's3-1', reason: expect.stringMatching(/^suspended at a proposal \(ledger #\d+\); resume with 'gauntlet resume s3-1'$/) as unknown });
    expect(events.some((e) => e.event === 'status' || e.event === 'summary')).toBe(false);
    const rec = store.get('sessions', 's3-1')!;
    expect(rec.status).toBe('SUSPENDED');
    // The proposal in the inbox was never answered: two decisions recorded, no third.
    expect(store.list('decisions').filter((d) => d.session === 's3-1')).toHaveLength(2);
    expect(verifyLedger(store.ledger()).ok).toBe(true);
    expect(resumeProblem(rec, 's3-1')).toBeNull();
    const ledgerAtSuspension = store.ledger().length;
    // The start screen offers it first, as "resume s3-1", with its idea and where it stopped.
    expect(resumeChoices(store)).toEqual([{ label: 'resume s3-1', kind: 'resume', session: 's3-1', about: `${EDGE_IDEA} (suspended at a proposal (ledger #${ledgerAtSuspension - 1}))` }]);
    await store.close();

    // Another process: another session runs to its end while s3-1 waits.
    store = await openStore(db);
    const other = await session(store, 'buy when close > sma(20); sell when close < sma(20)', approver());
    expect(other.find((e) => e.event === 'session')).toMatchObject({ session: 's3-2' });
    expect(store.get('sessions', 's3-1')!.status).toBe('SUSPENDED');
    expect(store.ledger().length).toBeGreaterThan(ledgerAtSuspension);
    await store.close();

    // A third process resumes: the waiting proposal is offered again, first thing.
    store = await openStore(db);
    const second = approver();
    const resumed = await resume(store, 's3-1', second);
    expect(second.asked[0]).toBe(first.asked[2]);
    const status = resumed.find((e) => e.event === 'status');
    expect(status).toEqual(refStatus);
    expect(store.get('sessions', 's3-1')!.status).toBe((refStatus as { status: string }).status);
    expect(timeless(store, 's3-1')).toEqual(timeless(straight, 's3-1'));
    expect(verifyLedger(store.ledger()).ok).toBe(true);
    expect(verifyRecords(store.data)).toEqual([]);
    // Only a SUSPENDED session resumes.
    expect(resumeProblem(store.get('sessions', 's3-1'), 's3-1')).toMatch(/^session s3-1 is (DEAD|FROZEN|PROMOTED) \(.*\): only a SUSPENDED session can be resumed; 'gauntlet research --replay s3-1' re-runs it$/);
    await store.close();
    await straight.close();

    // The whole session, suspension and other session included, replays byte for byte.
    const io = bufferIo(ws.env, ws.dir);
    const code = await runReplay('s3-1', { db, json: true, io });
    const report = JSON.parse(io.stdout()) as ReplayReport;
    expect(report.first_difference).toBeNull();
    expect(report.identical).toBe(true);
    expect(code).toBe(0);
  }, 120_000);

  it('refuses a session that is not suspended, naming what to do', async () => {
    const store = await openStore(join(ws.dir, 'none'));
    await expect(prepareResume(store, 's9-9', { io: bufferIo(ws.env, ws.dir), approver: approver(), agents: rulesAgents() }))
      .rejects.toThrow(/^gauntlet resume: no session "s9-9" in this store; .gauntlet sessions. lists them$/);
    await store.close();
  });
});

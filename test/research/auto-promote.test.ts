/**
 * Automatic approval never takes a terminal decision (hardening): headless `--approve all` stops at
 * a promotion SUSPENDED (the proposal pending, nothing spent for it, the fix said), `gauntlet resume`
 * lets a person decide it, and `--approve all+promote` pre-approves it for batch runs, recorded as
 * such; either way the session replays byte for byte.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runResearch } from '../../src/core/research/loop.ts';
import type { ResearchEvent } from '../../src/core/research/events.ts';
import type { ApprovalDecision } from '../../src/core/research/ports.ts';
import { openStore } from '../../src/core/store/store.ts';
import { bufferIo } from '../../src/commands/io.ts';
import { prepareResume } from '../../src/commands/resume.ts';
import { rulesAgents } from '../../src/commands/agents-wiring.ts';
import { EDGE_IDEA, EDGE_MARKET, inproc, readStoreFile, workspace } from './helpers.ts';

const ws = workspace('auto-promote');
const market = join(ws.dir, 'edge');
afterAll(() => ws.cleanup());
beforeAll(async () => {
  expect((await inproc(['data', 'synth', ...EDGE_MARKET, '--out', market], ws.env)).code).toBe(0);
}, 60_000);

const research = (db: string, approve: string, json = true) =>
  inproc(['research', EDGE_IDEA, '--universe', market, '--approve', approve, '--seed', '3', '--offline', '--db', db, ...(json ? ['--json'] : [])], ws.env);

const lines = (stdout: string): Array<Record<string, unknown>> => stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

const suspendedReason = (id: string): string => 'the Director proposes to promote the strategy (its one-look confirmation, which ends the session), '
  + 'and an automatic approval never approves a terminal decision, so the session is SUSPENDED with the proposal pending and nothing spent for it: '
  + `run 'gauntlet resume ${id}' to decide it yourself, or pre-approve promotions up front with --approve all+promote.`;

describe('automatic approval and promote', () => {
  const db = join(ws.dir, 'all');

  it('--approve all stops at the promotion SUSPENDED: nothing spent for it, no holdout opened, the summary names the fix', async () => {
    const r = await research(db, 'all');
    expect(r.code, r.stderr).toBe(0);
    const events = lines(r.stdout);
    const data = readStoreFile(db)!;
    const id = data.sessions[0]!.id;
    // The promotion was offered and left unanswered: the last event before the end is its proposal.
    const proposals = events.filter((e) => e.event === 'proposal').map((e) => (e.proposal as { action: string }).action);
    expect(proposals.at(-1)).toBe('promote');
    expect(events.slice(-2)).toEqual([
      { event: 'suspended', session: id, reason: suspendedReason(id) },
      { event: 'summary', status: 'SUSPENDED', reason: suspendedReason(id), credits_spent: expect.any(Number), trials: expect.any(Number), runs: expect.any(Number) },
    ]);
    expect(data.sessions[0]).toMatchObject({ status: 'SUSPENDED', reason: suspendedReason(id) });
    const own = data.ledger.filter((e) => e.session === id);
    expect(own.filter((e) => e.action === 'promote' || e.action === 'holdout:open' || e.action.startsWith('status:'))).toEqual([]);
    expect(data.decisions.filter((d) => d.session === id).every((d) => d.decision === 'approved' && d.by === 'auto' && d.note === null)).toBe(true);
    // The spends add up to what the summary says: nothing was paid at the promotion.
    expect(own.filter((e) => e.kind === 'spend').reduce((a, e) => a + e.cost, 0)).toBe(events.at(-1)!.credits_spent);

    // A person reads it as the last line, in one sentence.
    const human = await research(join(ws.dir, 'all-human'), 'all', false);
    const id2 = readStoreFile(join(ws.dir, 'all-human'))!.sessions[0]!.id;
    expect(human.stdout.trim().split('\n').at(-1)).toBe(`SUSPENDED: ${suspendedReason(id2)}`);
  }, 120_000);

  it('gauntlet resume lets a person decide it: the approval is recorded as theirs, the session is promoted and replays byte for byte', async () => {
    const store = await openStore(db);
    const id = store.list('sessions')[0]!.id;
    const offered: string[] = [];
    let events: ResearchEvent[] = [];
    try {
      // The console's inbox answers as a person does (by: 'user').
      const person = { decide: async (p: { action: string }): Promise<ApprovalDecision> => { offered.push(p.action); return { decision: 'approve', by: 'user' }; } };
      const r = await prepareResume(store, id, { io: bufferIo(ws.env, ws.dir), approver: person, agents: rulesAgents() });
      try {
        for await (const e of runResearch(r.idea, r.deps)) events.push(e);
      } finally {
        await r.dispose();
      }
    } finally {
      await store.close();
    }
    expect(offered[0]).toBe('promote');
    expect(events.at(-1)).toMatchObject({ event: 'summary', status: 'PROMOTED' });
    const data = readStoreFile(db)!;
    const promote = data.ledger.find((e) => e.session === id && e.kind === 'spend' && e.action === 'promote')!;
    expect(promote.approval).toEqual({ by: 'user', decision: 'approved' });
    expect(data.decisions.find((d) => d.ledger_seq === promote.seq)).toMatchObject({ decision: 'approved', by: 'user', note: null });
    events = [];
    const rp = await inproc(['research', '--replay', id, '--db', db, '--universe', market, '--json'], ws.env);
    expect(rp.code, rp.stdout + rp.stderr).toBe(0);
    expect(JSON.parse(rp.stdout)).toMatchObject({ identical: true, status: 'PROMOTED', edited_records: [] });
  }, 120_000);

  it('--approve all+promote pre-approves the promotion, recorded with the flag, and replays byte for byte', async () => {
    const pre = join(ws.dir, 'all-promote');
    const r = await research(pre, 'all+promote');
    expect(r.code, r.stderr).toBe(0);
    expect(lines(r.stdout).at(-1)).toMatchObject({ event: 'summary', status: 'PROMOTED' });
    const data = readStoreFile(pre)!;
    const id = data.sessions[0]!.id;
    const promote = data.ledger.find((e) => e.kind === 'spend' && e.action === 'promote')!;
    expect(promote.approval).toEqual({ by: 'auto', decision: 'approved' });
    expect(promote.payload.preapproved).toBe('pre-approved up front by --approve all+promote');
    expect(data.decisions.filter((d) => d.note !== null)).toEqual([
      expect.objectContaining({ decision: 'approved', by: 'auto', note: 'pre-approved up front by --approve all+promote', ledger_seq: promote.seq }),
    ]);
    const rp = await inproc(['research', '--replay', id, '--db', pre, '--universe', market, '--json'], ws.env);
    expect(rp.code, rp.stdout + rp.stderr).toBe(0);
    expect(JSON.parse(rp.stdout)).toMatchObject({ identical: true, status: 'PROMOTED' });
  }, 120_000);

  it('an unknown --approve mode is refused naming the four', async () => {
    const r = await research(join(ws.dir, 'bad'), 'everything');
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('gauntlet research: --approve must be ask, all, all+promote or none, got "everything"');
  });
});

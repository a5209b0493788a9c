/**
 * `research --replay SESSION` re-runs a recorded session without a model and must write the same
 * ledger, byte for byte (issue 5). The expected entries are the store file's own, read here as
 * JSON; the replay's are produced from scratch by the loop. A changed market must make the replay
 * differ, so the comparison is shown able to fail.
 */
import { cpSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Budget } from '../../src/core/budget/budget.ts';
import { runResearch } from '../../src/core/research/loop.ts';
import { openStore } from '../../src/core/store/store.ts';
import { scriptedApprover } from '../../src/agents/rules/index.ts';
import { bufferIo } from '../../src/commands/io.ts';
import { openUniverse } from '../../src/commands/data-source.ts';
import { researchDeps } from '../../src/commands/research-wiring.ts';
import { runReplay, type ReplayReport } from '../../src/commands/research-replay.ts';
import { REVIEW_REPLY, directorReply, roleResponder, scenarios, startFakeOllama, type RoleResponder } from '../support/fake-ollama.ts';
import { EDGE_IDEA, EDGE_MARKET, STOCK_IDEA, inproc, parseEvents, readStoreFile, summaryOf, workspace } from './helpers.ts';

const ws = workspace('replay');
const market = join(ws.dir, 'edge');
afterAll(() => ws.cleanup());
beforeAll(async () => {
  expect((await inproc(['data', 'synth', ...EDGE_MARKET, '--out', market], ws.env)).code).toBe(0);
}, 60_000);

async function replay(db: string, session: string, universe?: string): Promise<{ code: number; report: ReplayReport; stderr: string }> {
  const io = bufferIo(ws.env, ws.dir);
  const code = await runReplay(session, { db, json: true, io, ...(universe === undefined ? {} : { universe }) });
  return { code, report: JSON.parse(io.stdout()) as ReplayReport, stderr: io.stderr() };
}

/** The session's own ledger entries, as the store file holds them. */
function recordedEntries(db: string, session: string): number {
  return readStoreFile(db)!.ledger.filter((e) => e.session === session).length;
}

describe('research --replay', () => {
  it('reproduces an offline session, and a second one whose ledger starts mid-chain', async () => {
    const db = join(ws.dir, 'two');
    for (const idea of [STOCK_IDEA, 'buy when close > sma(50); sell when close < sma(50)']) {
      const r = await inproc(['research', idea, '--approve', 'all+promote', '--budget', '300', '--db', db, '--seed', '5', '--json'], ws.env);
      expect(r.code, r.stderr).toBe(0);
    }
    for (const session of ['s5-1', 's5-2']) {
      const { code, report } = await replay(db, session);
      expect(report.first_difference).toBeNull();
      expect(report).toMatchObject({ identical: true, session, entries: recordedEntries(db, session), replayed: recordedEntries(db, session) });
      expect(code).toBe(0);
    }
    // The second session's first entry follows the first session's last: its prev hash is not genesis.
    const data = readStoreFile(db)!;
    const firstOfSecond = data.ledger.find((e) => e.session === 's5-2')!;
    expect(firstOfSecond.seq).toBeGreaterThan(0);
  }, 120_000);

  it('reproduces the stratified draw, the registration and both confirmation legs of a promotion on a planted edge', async () => {
    // 24 symbols, so that the confirmation has untested symbols left for its fresh leg.
    const wide = join(ws.dir, 'edge-wide');
    expect((await inproc(['data', 'synth', ...EDGE_MARKET.map((x) => (x === '8' ? '24' : x)), '--out', wide], ws.env)).code).toBe(0);
    const db = join(ws.dir, 'edge-db');
    const r = await inproc(['research', EDGE_IDEA, '--universe', wide, '--approve', 'all+promote', '--db', db, '--json'], ws.env);
    expect(r.code, r.stderr).toBe(0);
    expect(summaryOf(parseEvents(r.stdout)).status).toBe('PROMOTED');
    const data = readStoreFile(db)!;
    expect(data.ledger.filter((e) => e.action === 'screen:draw')).toHaveLength(1);
    const reg = data.ledger.find((e) => e.action === 'confirmation:register')!;
    expect((reg.payload.fresh as string[]).length).toBeGreaterThan(0);
    expect(data.runs.filter((x) => x.kind === 'confirmation:fresh').map((x) => x.symbols[0])).toEqual(reg.payload.fresh);
    expect(data.runs.filter((x) => x.kind === 'holdout')).toHaveLength((reg.payload.holdout_symbols as string[]).length);
    const { code, report } = await replay(db, 's1-1', wide);
    expect(report.first_difference).toBeNull();
    expect(report.entries).toBe(recordedEntries(db, 's1-1'));
    expect(report.entries).toBeGreaterThan(20); // trials, spends, gates: a long ledger, not a trivial one
    expect(report.status).toBe('PROMOTED');
    expect(code).toBe(0);
  }, 180_000);

  it('reproduces a person\'s approvals, vetoes with notes and kill', async () => {
    const db = join(ws.dir, 'interactive');
    const store = await openStore(db);
    const approver = scriptedApprover([
      { decision: 'approve' },
      { decision: 'veto', note: 'not that sector' },
      { decision: 'kill', note: 'enough' },
    ]);
    const io = bufferIo(ws.env, ws.dir);
    const deps = { ...researchDeps({ universe: openUniverse(io, market), store, approver, seed: 9, budget: new Budget({ credits: 400 }), mode: 'interactive', io }), provenance: { agents: 'rules', universe: market } };
    const statuses: string[] = [];
    for await (const e of runResearch(EDGE_IDEA, deps)) if (e.event === 'status') statuses.push(e.status);
    await store.close();
    expect(statuses).toEqual(['KILLED']);
    const decisions = readStoreFile(db)!.decisions.map((d) => d.decision);
    expect(decisions).toContain('vetoed');
    expect(decisions.at(-1)).toBe('killed');

    const { code, report } = await replay(db, 's9-1', market);
    expect(report.first_difference).toBeNull();
    expect(report).toMatchObject({ identical: true, status: 'KILLED', entries: recordedEntries(db, 's9-1') });
    expect(code).toBe(0);
  }, 120_000);

  it('reports a changed market as a difference, naming the first entry that differs', async () => {
    const db = join(ws.dir, 'changed');
    const r = await inproc(['research', EDGE_IDEA, '--universe', market, '--approve', 'all+promote', '--budget', '200', '--db', db, '--json'], ws.env);
    expect(r.code, r.stderr).toBe(0);
    // The same market with every close nudged up by 1 %: the backtests change, so the ledger must.
    const altered = join(ws.dir, 'edge-altered');
    cpSync(market, altered, { recursive: true });
    for (const name of readdirSync(altered).filter((f) => f.endsWith('.csv'))) {
      const [header = '', ...rows] = readFileSync(join(altered, name), 'utf8').split('\n');
      expect(header).toBe('time,open,high,low,close,volume');
      const nudged = rows.map((line) => {
        if (line === '') return line;
        const [t, o, h, l, c, v] = line.split(',');
        const close = Number(c) * 1.01;
        return [t, o, String(Math.max(Number(h), close)), l, String(close), v].join(',');
      });
      writeFileSync(join(altered, name), [header, ...nudged].join('\n'));
    }

    const { code, report } = await replay(db, 's1-1', altered);
    expect(code).toBe(1);
    expect(report.identical).toBe(false);
    expect(report.first_difference).not.toBeNull();
    // The grant and the translation do not depend on the data; the first difference comes later.
    const recorded = readStoreFile(db)!.ledger.filter((e) => e.session === 's1-1');
    expect(report.first_difference!.seq).toBeGreaterThan(recorded[1]!.seq);
  }, 120_000);

  it('reproduces a session a model answered, failures and fallbacks included, with no server at all', async () => {
    let model: RoleResponder = roleResponder({}, {});
    const fake = await startFakeOllama({ respond: (body) => model.respond(body) });
    const d = (make: (v: unknown) => ReturnType<typeof scenarios.valid>) => (body: Record<string, unknown>) => make(directorReply(body));
    const goodDirector = (body: Record<string, unknown>) => scenarios.valid(directorReply(body, (id) => ({ justification: `model says: ${id} next`, expected_information_gain: `model gain for ${id}` })));
    // Good answers, a repaired one, a missing model, a stream error (two failures in a row: the
    // Director's breaker opens and the rules answer the rest) and a wrong reply: the ledger records
    // who wrote each proposal's justification, so each fallback shows in it.
    model = roleResponder({
      director: [goodDirector, d(scenarios.fenced), scenarios.modelMissing(), scenarios.midStreamError()],
      reviewer: [scenarios.valid({ diagnosis: ['no'], intent_match: 'maybe' }), scenarios.valid({ diagnosis: ['no'], intent_match: 'maybe' }), scenarios.valid({ diagnosis: ['no'], intent_match: 'maybe' }), scenarios.padded(REVIEW_REPLY)],
    }, { director: goodDirector, reviewer: () => scenarios.valid(REVIEW_REPLY) });
    const db = join(ws.dir, 'model');
    try {
      const r = await inproc(['research', EDGE_IDEA, '--universe', market, '--approve', 'all+promote', '--db', db, '--model', 'fake-model', '--json'],
        { ...ws.env, OLLAMA_HOST: fake.url, GAUNTLET_OLLAMA_TIMEOUTS: 'connect=2000,first_byte=1500,idle=1500' });
      expect(r.code, r.stderr).toBe(0);
    } finally {
      await fake.close();
    }
    const data = readStoreFile(db)!;
    const outcomes = new Set(data.transcripts.map((t) => t.outcome));
    expect(outcomes).toEqual(new Set(['ok', 'error', 'invalid']));
    const spends = data.ledger.filter((e) => e.kind === 'spend');
    // The model's prose and the rules' prose are both in the ledger: a replay must reproduce which answered where.
    expect(spends.some((e) => /^model says/.test(String(e.payload.justification ?? '')))).toBe(true);
    expect(spends.some((e) => !/^model says/.test(String(e.payload.justification ?? '')))).toBe(true);

    // Nothing listens at OLLAMA_HOST now: the replay needs no server.
    const { code, report } = await replay(db, 's1-1');
    expect(report.first_difference).toBeNull();
    expect(report).toMatchObject({ identical: true, transcript_mismatches: 0, transcripts_unused: 0, entries: recordedEntries(db, 's1-1') });
    expect(code).toBe(0);

    // The answers really come from the transcripts: one reworded recorded reply changes the replayed ledger there.
    const file = join(db, 'store.json');
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { transcripts: Array<{ role: string; outcome: string; response: string }> };
    const reply = stored.transcripts.find((t) => t.role === 'director' && t.outcome === 'ok' && t.response.includes('model says:'))!;
    reply.response = reply.response.replaceAll('model says:', 'model said:');
    writeFileSync(file, JSON.stringify(stored, null, 2));
    const tampered = await replay(db, 's1-1');
    expect(tampered.code).toBe(1);
    expect(tampered.report.first_difference?.fields).toContain('payload.justification');
    expect(String(tampered.report.first_difference?.replayed?.payload.justification)).toMatch(/^model said:/);
    // And the edit itself is named: the session's records no longer match the digest its closing entry holds.
    expect(tampered.report.edited_records).toEqual([expect.stringMatching(/^sessions\/s1-1: its records \(gate verdicts, decisions, reviews, transcripts, runs\) differ from the digest ledger entry #\d+ recorded: one was edited$/)]);
  }, 180_000);

  it('names an unknown session and lists the recent ones (exit 2)', async () => {
    const db = join(ws.dir, 'two');
    const io = bufferIo(ws.env, ws.dir);
    await expect(runReplay('s404-1', { db, json: false, io })).rejects.toThrow(/no session "s404-1".*\n.*Recent sessions: s5-1, s5-2/);
  });
});

/**
 * DESIGN §1: one command goes from a plain-language idea to a verdict, and the same seed gives the
 * same ledger. `--json` is NDJSON whose last line is the summary, and the summary agrees with the
 * ledger (checked independently here, from store.json as it is on disk).
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { entryHash } from '../../src/core/ledger/chain.ts';
import type { LedgerEntry } from '../../src/core/ledger/schema.ts';
import type { StoreData } from '../../src/core/store/schema.ts';
import {
  EDGE_IDEA, EDGE_MARKET, FINAL, STACK_FRAME, STOCK_IDEA, cli, inproc, parseEvents, readStoreFile, spentIn, storeProblems, summaryOf, researchWith, tuneFirst, workspace,
} from './helpers.ts';

const ws = workspace('one-command');
afterAll(() => ws.cleanup());

/** The ledger fields that must not depend on the clock. ts is the wall clock; hash and prev hash it, so they differ too. */
const CLOCK_FREE = ['seq', 'session', 'kind', 'action', 'cost', 'credit', 'balance', 'proposal_id', 'approval', 'spec_id', 'payload'] as const;
const clockFree = (e: LedgerEntry): Record<string, unknown> => Object.fromEntries(CLOCK_FREE.map((k) => [k, e[k]]));
/** Records without their creation time. */
const timeless = <T extends { created_at: string }>(xs: readonly T[]): Array<Omit<T, 'created_at'>> => xs.map(({ created_at: _c, ...rest }) => rest);

/** The summary of a `--json` run checked against the store it wrote: credits, trials and runs counted from the records. */
function checkSummaryAgainstStore(stdout: string, data: StoreData): string {
  const events = parseEvents(stdout); // every line is JSON, or this throws naming the line
  const summary = summaryOf(events);
  expect(Object.keys(summary)).toEqual(expect.arrayContaining(['event', 'status', 'reason', 'credits_spent', 'trials', 'runs']));
  expect(FINAL).toContain(summary.status);
  expect(summary.reason).not.toBe('');
  const session = events.find((e) => e.event === 'session');
  if (session?.event !== 'session') throw new Error('no session event');
  const id = session.session;
  expect(summary.credits_spent).toBe(spentIn(data, id));
  expect(summary.trials).toBe(data.ledger.filter((e) => e.session === id && e.kind === 'trial').length);
  expect(summary.runs).toBe(data.runs.filter((r) => r.session === id).length);
  // The status event precedes the summary and says the same; the session record keeps it.
  expect(events.at(-2)).toEqual({ event: 'status', status: summary.status, reason: summary.reason });
  const rec = data.sessions.find((s) => s.id === id);
  expect(rec?.status).toBe(summary.status);
  expect(rec?.reason).toBe(summary.reason);
  // Every spend event matches a ledger spend at the same seq.
  for (const e of events) {
    if (e.event !== 'spend') continue;
    const l = data.ledger[e.seq];
    expect(l).toMatchObject({ kind: 'spend', action: e.action, cost: e.cost, balance: e.balance, session: id });
  }
  expect(storeProblems(data)).toEqual([]);
  return id;
}

/** Two stores written by the same command with the same seed: equal except for the clock. */
function expectSameLedger(a: StoreData, b: StoreData): void {
  expect(a.ledger.length).toBeGreaterThan(3);
  expect(b.ledger.map(clockFree)).toEqual(a.ledger.map(clockFree));
  // The clock is the only difference: b's entry, hashed with a's ts and prev, gives a's hash.
  for (let i = 0; i < a.ledger.length; i++) {
    const x = a.ledger[i]!;
    const y = b.ledger[i]!;
    expect(entryHash({ ...y, ts: x.ts, prev: x.prev }), `entry #${i}`).toBe(x.hash);
  }
  expect(timeless(b.proposals)).toEqual(timeless(a.proposals));
  expect(timeless(b.decisions)).toEqual(timeless(a.decisions));
  expect(timeless(b.gates)).toEqual(timeless(a.gates));
  expect(timeless(b.runs)).toEqual(timeless(a.runs));
  expect(b.specs.map((s) => s.id)).toEqual(a.specs.map((s) => s.id));
}

describe('research: one command, idea to verdict', () => {
  it('on the bundled stock data, as two real processes into two fresh stores, reaches a verdict and the same ledger', async () => {
    const [dbA, dbB] = [join(ws.dir, 'a'), join(ws.dir, 'b')];
    const args = (db: string): string[] => ['research', STOCK_IDEA, '--approve', 'all+promote', '--seed', '3', '--db', db, '--json'];
    const [ra, rb] = await Promise.all([cli(args(dbA), ws.env), cli(args(dbB), ws.env)]);
    for (const r of [ra, rb]) {
      expect(r.stderr).not.toMatch(STACK_FRAME);
      expect(r.code, r.stderr).toBe(0);
    }
    const [a, b] = [readStoreFile(dbA)!, readStoreFile(dbB)!];
    const id = checkSummaryAgainstStore(ra.stdout, a);
    checkSummaryAgainstStore(rb.stdout, b);
    expect(id).toBe('s3-1');
    // The ledger opens with the grant, then the translation record, and ends with the verdict.
    expect(a.ledger[0]).toMatchObject({ kind: 'grant', credit: 1000, balance: 1000 });
    expect(a.ledger.at(-1)?.action).toBe(`status:${summaryOf(parseEvents(ra.stdout)).status}`);
    expectSameLedger(a, b);
    // The human output of the same run differs only in the event lines' wording: same verdict.
    expect(summaryOf(parseEvents(rb.stdout))).toEqual(summaryOf(parseEvents(ra.stdout)));
  });

  it('is deterministic through optimisation, walk-forward and promotion too (planted-edge market, in-process)', async () => {
    const market = join(ws.dir, 'edge');
    expect((await inproc(['data', 'synth', ...EDGE_MARKET, '--out', market], ws.env)).code).toBe(0);
    const stores = [join(ws.dir, 'e1'), join(ws.dir, 'e2')];
    const outs: string[] = [];
    // A researcher who tunes before confirming (--approve all would promote the first version at once).
    for (const db of stores) outs.push((await researchWith(EDGE_IDEA, { env: ws.env, universe: market, db, approver: tuneFirst() })).map((e) => JSON.stringify(e)).join('\n'));
    const [a, b] = stores.map((d) => readStoreFile(d)!) as [StoreData, StoreData];
    checkSummaryAgainstStore(outs[0]!, a);
    checkSummaryAgainstStore(outs[1]!, b);
    expect(summaryOf(parseEvents(outs[0]!)).status).toBe('PROMOTED');
    // This path exercises the ledger's trial entries (many per transaction), so the comparison is not trivial.
    expect(a.ledger.filter((e) => e.kind === 'trial').length).toBeGreaterThan(10);
    expectSameLedger(a, b);
  });
});

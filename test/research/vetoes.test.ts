/**
 * DESIGN §6 (I6): nothing is spent without approval. With every proposal vetoed — by
 * `--approve none`, or by `--approve ask` with no answer on stdin — the ledger holds no spend, the
 * session's balance is its grant, and the session ends FROZEN having spent 0 credits.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { StoreData } from '../../src/core/store/schema.ts';
import { STACK_FRAME, STOCK_IDEA, cli, inproc, parseEvents, readStoreFile, storeProblems, summaryOf, workspace } from './helpers.ts';

const ws = workspace('vetoes');
afterAll(() => ws.cleanup());

function expectNothingSpent(data: StoreData, session: string, grant: number): void {
  const mine = data.ledger.filter((e) => e.session === session);
  expect(mine.filter((e) => e.kind === 'spend')).toEqual([]);
  expect(mine.filter((e) => e.cost !== 0)).toEqual([]);
  expect(mine[0]).toMatchObject({ kind: 'grant', credit: grant });
  // The balance after the session's last entry is still the grant (computed here from the entries, not read from the code).
  expect(mine.reduce((b, e) => b - e.cost + e.credit, 0)).toBe(grant);
  expect(mine.at(-1)?.balance).toBe(grant);
  // Proposals were offered and each refusal was recorded — the test is not vacuous.
  const decisions = data.decisions.filter((d) => d.session === session);
  expect(decisions.length).toBeGreaterThan(0);
  for (const d of decisions) expect(d).toMatchObject({ decision: 'vetoed', ledger_seq: null });
  expect(data.runs.filter((r) => r.session === session)).toEqual([]);
  expect(storeProblems(data)).toEqual([]);
}

describe('research with every proposal vetoed', () => {
  it('--approve none: no spend, balance = grant, credits_spent 0, FROZEN', async () => {
    const db = join(ws.dir, 'none');
    const r = await inproc(['research', STOCK_IDEA, '--approve', 'none', '--budget', '500', '--db', db, '--json'], ws.env);
    expect(r.code, r.stderr).toBe(0);
    const events = parseEvents(r.stdout);
    const s = summaryOf(events);
    expect(s).toMatchObject({ status: 'FROZEN', credits_spent: 0, trials: 0, runs: 0 });
    expect(events.filter((e) => e.event === 'spend')).toEqual([]);
    expect(events.filter((e) => e.event === 'decision').every((e) => e.event === 'decision' && e.decision === 'vetoed' && e.by === 'auto')).toBe(true);
    expectNothingSpent(readStoreFile(db)!, 's1-1', 500);
  });

  it('--approve ask with stdin closed (a real process): end of input vetoes, nothing is spent', async () => {
    const db = join(ws.dir, 'ask');
    const r = await cli(['research', STOCK_IDEA, '--approve', 'ask', '--db', db, '--json'], ws.env);
    expect(r.stderr).not.toMatch(STACK_FRAME);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('end of input');
    expect(summaryOf(parseEvents(r.stdout))).toMatchObject({ status: 'FROZEN', credits_spent: 0 });
    const data = readStoreFile(db)!;
    expectNothingSpent(data, 's1-1', 1000);
    expect(data.decisions.every((d) => d.by === 'user')).toBe(true);
  });
});

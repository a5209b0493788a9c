/**
 * DESIGN §7: one writer per store. Two concurrent `research` processes on one store: the first
 * proceeds, the second is refused (exit 3) with a message naming the holder's pid. The first is
 * kept inside its session by `--approve ask` with stdin held open: it blocks on its first question.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STACK_FRAME, STOCK_IDEA, cli, inproc, parseEvents, readStoreFile, startCli, storeProblems, summaryOf, workspace } from './helpers.ts';

const ws = workspace('concurrency');
afterAll(() => ws.cleanup());

describe('two research processes on one store', () => {
  it('the second is refused with exit 3 naming the first one\'s pid; the first goes on and finishes', async () => {
    const db = join(ws.dir, 'db');
    const first = startCli(['research', STOCK_IDEA, '--approve', 'ask', '--db', db, '--json'], ws.env);
    try {
      // The first holds the lock and waits for an answer to its first proposal.
      await first.errText(/approve initial_backtest for 10 credits\?/);

      const second = await cli(['research', STOCK_IDEA, '--approve', 'all', '--db', db, '--json'], ws.env);
      expect(second.code, second.stderr).toBe(3);
      expect(second.stderr).toContain(`in use by pid ${first.pid}`);
      expect(second.stderr).not.toMatch(STACK_FRAME);
      expect(second.stdout).toBe('');

      // A reader needs no lock: the ledger verifies while the first session is open.
      const ledger = await inproc(['ledger', '--db', db, '--verify'], ws.env);
      expect(ledger.code, ledger.stderr).toBe(0);

      // The refused process wrote nothing: the store has only the first session, still running.
      const mid = readStoreFile(db)!;
      expect(mid.sessions.map((s) => [s.id, s.status])).toEqual([['s1-1', 'RUNNING']]);

      // Approve the first step as the user, then end the input: every later proposal is vetoed.
      first.proc.stdin!.write('a\n');
      first.proc.stdin!.end();
      const r = await first.exited;
      expect(r.code, r.stderr).toBe(0);
      const s = summaryOf(parseEvents(r.stdout));
      expect(s.status).toBe('FROZEN');
      expect(s.credits_spent).toBe(10);
      const data = readStoreFile(db)!;
      const spends = data.ledger.filter((e) => e.kind === 'spend');
      expect(spends).toHaveLength(1);
      expect(spends[0]).toMatchObject({ action: 'initial_backtest', cost: 10, approval: { by: 'user', decision: 'approved' } });
      expect(storeProblems(data)).toEqual([]);
    } finally {
      if (first.proc.exitCode === null && first.proc.signalCode === null) first.proc.kill('SIGKILL');
    }

    // The lock was released: the next process gets the store.
    const after = await inproc(['research', STOCK_IDEA, '--approve', 'none', '--db', db, '--json'], ws.env);
    expect(after.code, after.stderr).toBe(0);
    expect(summaryOf(parseEvents(after.stdout)).status).toBe('FROZEN');
  });
});

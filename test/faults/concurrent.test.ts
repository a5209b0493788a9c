/**
 * Concurrent sessions on one store. The contract (DESIGN §7, lock.ts): one writer at a time; every
 * other writer exits 3 at once, naming the holder's pid — it does not wait. test/research/
 * concurrency.test.ts shows it for two processes; here N start together:
 * - on a fresh store, with the winner held inside its session (`--approve ask`, stdin open);
 * - in rounds on one shared store, every process running to its end (`--approve all`): sessions
 *   never interleave — each session's ledger entries are one contiguous run;
 * - on a store whose holder was killed -9: exactly one racer takes the stale lock over, the others
 *   name that racer, never the dead pid, and the dead session is closed as INTERRUPTED.
 * After each: the store at rest, everything the winners reported is stored, no duplicates.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STOCK_IDEA, parseEvents, readStoreFile, summaryOf, workspace } from '../research/helpers.ts';
import { FULL, checkAtRest, noFindings, nothingDropped, refusalProblems, reported, reportedAreStored, spawnGauntlet, type Child, type Exit } from './harness.ts';
import { Tally } from './tally.ts';

const N = FULL ? 8 : 3;
const ROUNDS = FULL ? 5 : 1;

const ws = workspace('faults-concurrent');
const tally = new Tally('concurrent');
afterAll(() => { tally.report(); ws.cleanup(); });

const args = (db: string, approve: 'ask' | 'all'): string[] => ['research', STOCK_IDEA, '--approve', approve, '--db', db, '--json', ...(approve === 'all' ? ['--budget', '40'] : [])];
const QUESTION = /approve initial_backtest for 10 credits\?/;

/** Starts `n` askers at once; resolves with the one that got the lock (waiting on its question) and the exits of the others. */
async function race(db: string, n: number): Promise<{ winner: Child; losers: Array<{ child: Child; exit: Exit }>; all: Child[] }> {
  const all = Array.from({ length: n }, () => spawnGauntlet(args(db, 'ask'), { env: ws.env, keepStdin: true }));
  try {
    const winner = await Promise.any(all.map((c) => c.waitErr(QUESTION).then(() => c)));
    const losers = await Promise.all(all.filter((c) => c !== winner).map(async (child) => ({ child, exit: await child.exited })));
    return { winner, losers, all };
  } catch (e) {
    for (const c of all) c.kill();
    throw e;
  }
}

/** Approves the first proposal as the user and ends the input (every later one is vetoed): FROZEN having spent 10. */
async function answer(winner: Child): Promise<Exit> {
  winner.proc.stdin!.write('a\n');
  winner.proc.stdin!.end();
  const exit = await winner.exited;
  expect(exit.code, exit.stderr).toBe(0);
  const s = summaryOf(parseEvents(exit.stdout));
  expect([s.status, s.credits_spent]).toEqual(['FROZEN', 10]);
  return exit;
}

function expectRefusedBy(losers: Array<{ exit: Exit }>, holder: number): void {
  for (const { exit } of losers) {
    tally.faults++;
    expect(refusalProblems(exit, 3, [`in use by pid ${holder}`])).toEqual([]);
    expect(exit.stdout).toBe('');
  }
}

async function expectSound(db: string, winners: Exit[], before: ReturnType<typeof readStoreFile>): Promise<void> {
  const f = noFindings();
  const after = await checkAtRest(db, ws.env, f);
  let checked = 0;
  for (const w of winners) checked += reportedAreStored(reported(w).events, after, f);
  nothingDropped(before, after, f);
  // One writer at a time: each session's entries form one unbroken stretch of the ledger.
  const seen = new Set<string>();
  after!.ledger.forEach((e, i) => {
    if (i > 0 && after!.ledger[i - 1]!.session !== e.session && seen.has(e.session) && !e.action.startsWith('status:INTERRUPTED')) {
      f.problems.push(`ledger #${e.seq}: session ${e.session} resumes after another session wrote`);
    }
    seen.add(e.session);
  });
  tally.add(f, checked);
  expect(f).toEqual(noFindings());
}

describe(`${N} research processes started at once on one store`, () => {
  it('fresh store: one holds the lock, the others exit 3 naming its pid and write nothing; then it finishes', async () => {
    const db = join(ws.dir, 'fresh');
    const { winner, losers } = await race(db, N);
    expectRefusedBy(losers, winner.pid);
    const mid = readStoreFile(db)!;
    expect(mid.sessions.map((s) => s.status)).toEqual(['RUNNING']);
    await expectSound(db, [await answer(winner)], mid);
  }, 120_000);

  it(`${ROUNDS} rounds on one store, every process running to its end: winners one after another, sessions never interleaved`, async () => {
    const db = join(ws.dir, 'rounds');
    let sessions = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const before = readStoreFile(db);
      const children = Array.from({ length: N }, () => spawnGauntlet(args(db, 'all'), { env: ws.env }));
      const exits = await Promise.all(children.map((c) => c.exited));
      const winners = children.filter((_, i) => exits[i]!.code === 0);
      expect(winners.length, exits.map((e) => `${e.code} ${e.stderr}`).join('\n')).toBeGreaterThanOrEqual(1);
      sessions += winners.length;
      for (const [i, e] of exits.entries()) {
        if (e.code === 0) continue;
        tally.faults++;
        // The holder it names is alive at that moment: one of this round's winners.
        expect(refusalProblems(e, 3, ['in use by pid ']), `process ${i}`).toEqual([]);
        const pid = Number(/in use by pid (\d+)/.exec(e.stderr)?.[1]);
        expect(winners.map((w) => w.pid), `process ${i} named pid ${pid}`).toContain(pid);
        expect(e.stdout).toBe('');
      }
      await expectSound(db, exits.filter((e) => e.code === 0), before);
    }
    expect(readStoreFile(db)!.sessions).toHaveLength(sessions);
  }, FULL ? 600_000 : 180_000);

  it('after the holder is killed -9: one racer takes the stale lock over, the rest name it (never the dead pid)', async () => {
    const db = join(ws.dir, 'stale');
    const victim = spawnGauntlet(args(db, 'ask'), { env: ws.env, keepStdin: true });
    await victim.waitErr(QUESTION);
    victim.kill();
    expect((await victim.exited).signal).toBe('SIGKILL');
    tally.faults++;
    const before = readStoreFile(db)!;
    const dead = before.sessions[0]!;
    expect(dead.status).toBe('RUNNING');

    const { winner, losers } = await race(db, N);
    expectRefusedBy(losers, winner.pid);
    for (const { exit } of losers) expect(exit.stderr).not.toContain(`pid ${victim.pid} `);
    await expectSound(db, [await answer(winner)], before);
    const closed = readStoreFile(db)!.sessions.find((s) => s.id === dead.id)!;
    expect(closed.status).toBe('INTERRUPTED');
  }, 120_000);
});

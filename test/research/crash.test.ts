/**
 * Crash safety (DESIGN §7: atomic writes; I6: the proposal, its approval and the spend land
 * together or not at all). A real `research` process is SIGKILLed at seeded random moments; after
 * each kill the store must still be readable and consistent, and a restarted `research` on it must
 * complete or stop with a clear message.
 *
 * Kill moments: a seeded PRNG draws each delay. Even trials count it from spawn, uniform in
 * [50 ms, T], where T is the length of a complete run measured once in setup (so some kills land
 * during Node's start-up, before the store exists). Odd trials count it from the child's first
 * event (`session`, printed right after the store is opened), uniform in [0, T − t_session], so
 * they land inside the research loop, where the writes are. Timing decides only where a kill lands,
 * never whether a check passes.
 *
 * The market is the planted-edge one where the loop goes all the way (starter set, deepen, regimes,
 * optimisation with its batch of trial entries, walk-forward, holdout, promotion), so kills can hit
 * every kind of write. After each kill, `ledger --verify` and the restart run through the CLI's
 * `main` in-process (the same command code; a process start-up each would double the test's time);
 * in every fifth trial both are real child processes instead.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/core/store/store.ts';
import { verifyLedger } from '../../src/core/ledger/verify.ts';
import {
  EDGE_IDEA, EDGE_MARKET, FINAL, STACK_FRAME, cli, inproc, parseEvents, prng, readStoreFile, spentIn, startCli, storeProblems, summaryOf, workspace,
} from './helpers.ts';

const TRIALS = 20;
const SEED = 0x5eed;

const ws = workspace('crash');
afterAll(() => ws.cleanup());

const market = join(ws.dir, 'market');
const researchArgs = (db: string): string[] => ['research', EDGE_IDEA, '--universe', market, '--approve', 'all+promote', '--db', db, '--json'];
/** Measured in setup: a complete run's length, and when its first event appeared (ms from spawn). */
let runMs = 0;
let sessionMs = 0;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  expect((await inproc(['data', 'synth', ...EDGE_MARKET, '--out', market], ws.env)).code).toBe(0);
  // Warm the data cache in-process so the measured run is a typical one, not a cold first parse.
  expect((await inproc(researchArgs(join(ws.dir, 'warm')), ws.env)).code).toBe(0);
  const t0 = Date.now();
  const child = startCli(researchArgs(join(ws.dir, 'measure')), ws.env);
  await child.line(/"event":"session"/);
  sessionMs = Date.now() - t0;
  const r = await child.exited;
  runMs = Date.now() - t0;
  expect(r.code, r.stderr).toBe(0);
  expect(summaryOf(parseEvents(r.stdout)).status).toBe('PROMOTED');
}, 120_000);

/** Everything that must hold of a store at any moment, whoever wrote it and however they stopped. */
async function expectSound(db: string, when: string, asChild = false): Promise<void> {
  const raw = readStoreFile(db); // JSON.parse throws on a torn file
  // The real ledger command, read-only, as a user would run it.
  const args = ['ledger', '--db', db, '--verify', '--json'];
  const verify = asChild ? await cli(args, ws.env) : await inproc(args, ws.env);
  expect(verify.code, `${when}: ledger --verify: ${verify.stderr}`).toBe(0);
  expect((JSON.parse(verify.stdout) as { verify: { ok: boolean } }).verify.ok, when).toBe(true);
  if (raw !== null) {
    expect(storeProblems(raw), when).toEqual([]);
    expect(verifyLedger(raw.ledger).ok, when).toBe(true);
  }
  // The store opens read-only, and every artifact a run record names is there with the right bytes.
  const ro = await openStore(db, { readonly: true });
  for (const run of ro.list('runs')) {
    for (const ref of Object.values(run.artifacts)) {
      if (ref.format === 'f64') await ro.readF64Artifact(ref.hash);
      else await ro.readJsonArtifact(ref.hash);
    }
  }
  await ro.close();
  // And writable: the dead process's lock is taken over, its temp files swept, the ledger re-verified.
  const rw = await openStore(db);
  await rw.close();
}

describe('SIGKILL during research', () => {
  it(`never leaves an unreadable store or a broken chain (${TRIALS} seeded trials), and a restart completes or reports cleanly`, async () => {
    expect(runMs).toBeGreaterThan(sessionMs);
    const rnd = prng(SEED);
    const landed = { beforeStore: 0, beforeSession: 0, midSession: 0, afterEnd: 0 };
    for (let i = 0; i < TRIALS; i++) {
      const db = join(ws.dir, `trial${i}`);
      const fromEvent = i % 2 === 1;
      const u = rnd();
      const delay = fromEvent ? u * (runMs - sessionMs) : 50 + u * (runMs - 50);
      const label = `trial ${i} (seed ${SEED}, kill ${Math.round(delay)} ms after ${fromEvent ? 'the session event' : 'spawn'})`;

      const child = startCli(researchArgs(db), ws.env);
      if (fromEvent) await child.line(/"event":"session"/).catch(() => undefined);
      await Promise.race([sleep(delay), child.exited]);
      child.proc.kill('SIGKILL');
      const killed = await child.exited;
      expect(killed.stderr, label).not.toMatch(STACK_FRAME);

      const before = readStoreFile(db);
      const victim = before?.sessions.find((s) => s.status === 'RUNNING');
      if (killed.signal !== 'SIGKILL') landed.afterEnd++;
      else if (before === null) landed.beforeStore++;
      else if (victim === undefined) landed.beforeSession++;
      else landed.midSession++;
      if (killed.signal !== 'SIGKILL') expect(killed.code, `${label}: ${killed.stderr}`).toBe(0);

      const asChild = i % 5 === 4;
      await expectSound(db, `${label}, after the kill`, asChild);

      // Restart on the same store: a full research in a child process every fifth trial; in-process
      // otherwise, with a budget that stops after four spends (starter set, deepen, regimes), which is
      // enough to close the dead session and chain new records onto what it left, at a third of the cost.
      const r = asChild ? await cli(researchArgs(db), ws.env) : await inproc([...researchArgs(db), '--budget', '60'], ws.env);
      expect(r.stderr, label).not.toMatch(STACK_FRAME);
      expect(r.stderr, label).not.toMatch(/internal error/);
      if (r.code === 0) {
        const s = summaryOf(parseEvents(r.stdout));
        expect(FINAL, label).toContain(s.status);
      } else {
        // A refusal must be a clean store/input error with a message, never a crash.
        expect([2, 3], `${label}: exit ${r.code}: ${r.stderr}`).toContain(r.code);
        expect(r.stderr.trim(), label).not.toBe('');
      }
      await expectSound(db, `${label}, after the restart`);

      const after = readStoreFile(db)!;
      expect(after.sessions.filter((s) => s.status === 'RUNNING'), label).toEqual([]);
      if (victim !== undefined && r.code === 0) {
        // The killed session is closed as INTERRUPTED, with what it had spent counted from its ledger entries.
        const closed = after.sessions.find((s) => s.id === victim.id)!;
        expect(closed.status, label).toBe('INTERRUPTED');
        expect(closed.reason, label).toContain(`${spentIn(after, victim.id)} credits had been spent`);
      }
    }
    // Coverage, not speed: at least a quarter of the kills must have hit a session in flight.
    expect(landed.midSession, JSON.stringify(landed)).toBeGreaterThanOrEqual(TRIALS / 4);
  }, 300_000);
});

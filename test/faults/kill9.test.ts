/**
 * kill -9 at seeded points spread over the whole session, then restart and continue in the same
 * store. Builds on test/research/crash.test.ts (timer kills of a fresh store) with kills placed by
 * event and by failpoint, chained restarts on one store, and the "nothing lost" accounting.
 *
 * Each store takes a chain of killed runs, each one a restart of the store the previous kill
 * left (stale lock, temp files, a ledger.head behind store.json, a RUNNING session), then one run
 * that must finish. Kill points, one mode per run in rotation, the point drawn from a seeded PRNG:
 * - timer-spawn / timer-session: uniform over a full run's length, from spawn or from the first event;
 * - event-line / event-spend: on the k-th NDJSON line or the k-th `spend` event as the parent reads it;
 * - mid-write / before-rename / after-rename: inside the k-th atomic write (failpoint.mjs);
 * - ledger: right after the write that brings the ledger past entry N; lock: holding the fresh lock.
 *
 * After every kill: the store at rest (harness.checkAtRest), everything the dead process reported
 * on stdout is in the store (reportedAreStored), and nothing that was stored before the run is gone
 * (nothingDropped). Lost and duplicated items are counted and must total 0.
 *
 * GAUNTLET_FAULT_RUNS sets the number of kills (`npm run faults`: 200); CI runs a subset. Runs that end
 * before their kill point are checked too, and more runs are started until that many were killed.
 */
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResearchEvent } from '../../src/core/research/events.ts';
import { EDGE_IDEA, EDGE_MARKET, FINAL, inproc, parseEvents, prng, readStoreFile, spentIn, summaryOf, workspace } from '../research/helpers.ts';
import {
  STACK_FRAME, checkAtRest, faultRuns, noFindings, nothingDropped, reported, reportedAreStored, spawnGauntlet, tempFiles, type Child, type SpawnOptions,
} from './harness.ts';
import { Tally } from './tally.ts';

const RUNS = faultRuns(6);
/** Killed runs per store before the run that must finish: 3 in CI (two stores), 5 in the full suite. */
const CHAIN = RUNS > 10 ? 5 : 3;
/** GAUNTLET_FAULT_SEED draws another set of kill points (several full runs at once are then independent trials). */
const SEED = Number.isInteger(Number(process.env.GAUNTLET_FAULT_SEED)) && process.env.GAUNTLET_FAULT_SEED !== undefined ? Number(process.env.GAUNTLET_FAULT_SEED) : 0xfa17;
/** In rotation; the CI subset takes the first six (crash.test.ts already kills on timers in CI). */
const MODES = ['mid-write', 'event-spend', 'after-rename', 'ledger', 'before-rename', 'lock', 'timer-session', 'event-line', 'timer-spawn'] as const;
type Mode = (typeof MODES)[number];

const ws = workspace('faults-kill');
const tally = new Tally('kill9');
afterAll(() => { tally.report(); ws.cleanup(); });

const market = join(ws.dir, 'market');
const researchArgs = (db: string, seed: number): string[] => ['research', EDGE_IDEA, '--universe', market, '--approve', 'all+promote', '--seed', String(seed), '--db', db, '--json'];

/** A complete run on a fresh store, measured in setup: its length, first event, lines, spends, writes and ledger entries. */
const full = { ms: 0, sessionMs: 0, lines: 0, spends: 0, writes: 0, ledger: 0 };

beforeAll(async () => {
  expect((await inproc(['data', 'synth', ...EDGE_MARKET, '--out', market], ws.env)).code).toBe(0);
  const counts = join(ws.dir, 'counts.json');
  const t0 = Date.now();
  const child = spawnGauntlet(researchArgs(join(ws.dir, 'measure'), 1), { env: ws.env, failpoint: `count:${counts}` });
  await child.waitLine(/"event":"session"/);
  full.sessionMs = Date.now() - t0;
  const r = await child.exited;
  full.ms = Date.now() - t0;
  expect(r.code, r.stderr).toBe(0);
  const events = parseEvents(r.stdout);
  expect(summaryOf(events).status).toBe('PROMOTED');
  const c = JSON.parse(readFileSync(counts, 'utf8')) as { writes: number; ledger: number };
  Object.assign(full, { lines: r.lines.length, spends: events.filter((e) => e.event === 'spend').length, writes: c.writes, ledger: c.ledger });
}, 120_000);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Starts one research run that will be killed as `mode` says, at a point drawn from `u` ∈ [0, 1). */
async function killedRun(db: string, seed: number, mode: Mode, u: number, ledgerBefore: number): Promise<{ child: Child; point: string }> {
  const o: SpawnOptions = { env: ws.env };
  let point = '';
  switch (mode) {
    case 'event-line': {
      const k = 1 + Math.floor(u * full.lines);
      o.killWhen = (_e, _l, i) => i === k - 1;
      point = `on stdout line ${k}`;
      break;
    }
    case 'event-spend': {
      const k = 1 + Math.floor(u * full.spends);
      let n = 0;
      o.killWhen = (e) => e?.event === 'spend' && ++n === k;
      point = `on spend event ${k}`;
      break;
    }
    case 'mid-write': case 'before-rename': case 'after-rename':
      o.failpoint = `${mode}@${1 + Math.floor(u * full.writes)}`;
      break;
    case 'ledger':
      o.failpoint = `ledger@${ledgerBefore + 1 + Math.floor(u * full.ledger)}`;
      break;
    case 'lock':
      o.failpoint = 'lock@1';
      break;
    default:
      break;
  }
  if (o.failpoint !== undefined) point = `failpoint ${o.failpoint}`;
  const child = spawnGauntlet(researchArgs(db, seed), o);
  if (mode === 'timer-spawn') {
    const delay = 50 + u * (full.ms - 50);
    point = `${Math.round(delay)} ms after spawn`;
    void Promise.race([sleep(delay), child.exited]).then(() => child.kill());
  } else if (mode === 'timer-session') {
    const delay = u * (full.ms - full.sessionMs);
    point = `${Math.round(delay)} ms after the session event`;
    void child.waitLine(/"event":"session"/).then(() => Promise.race([sleep(delay), child.exited])).then(() => child.kill(), () => undefined);
  }
  return { child, point };
}

describe('kill -9 at seeded points, restart and continue in the same store', () => {
  it(`${RUNS} runs killed, in chains of ${CHAIN} restarts: every store readable and verified, nothing reported lost, nothing duplicated`, async () => {
    expect(full.ms).toBeGreaterThan(full.sessionMs);
    const rnd = prng(SEED);
    const killedBy: Record<string, number> = {};
    let killed = 0;
    let i = 0; // runs started; a run that ends before its kill point does not count as a kill
    for (let chain = 0; killed < RUNS; chain++) {
      const db = join(ws.dir, `chain${chain}`);
      const interrupted = new Set<string>();
      for (let k = 0; k < CHAIN && killed < RUNS; k++, i++) {
        const mode = MODES[i % MODES.length]!;
        const seed = 1 + Math.floor(rnd() * 4);
        const before = readStoreFile(db);
        const { child, point } = await killedRun(db, seed, mode, rnd(), before?.ledger.length ?? 0);
        const exit = await child.exited;
        const label = `run ${i} (store ${chain}, restart ${k}, seed ${seed}, ${mode} ${point}): `;
        expect(exit.stderr, label).not.toMatch(STACK_FRAME);
        if (exit.signal === 'SIGKILL') {
          killed++;
          tally.faults++;
          killedBy[mode] = (killedBy[mode] ?? 0) + 1;
        } else {
          // The kill point lay beyond this run's end (a restart's session is shorter than a fresh one): it must have finished cleanly.
          expect(exit.code, `${label}${exit.stderr}`).toBe(0);
        }
        const f = noFindings();
        const { events, problems } = reported(exit);
        f.problems.push(...problems);
        // The next run of the chain meets the aftermath as the kill left it: no writable open here.
        const after = await checkAtRest(db, ws.env, f, { child: i % 5 === 4, label, writable: false });
        const checked = reportedAreStored(events, after, f, label);
        nothingDropped(before, after, f, label);
        tally.add(f, checked);
        expect(f, label).toEqual(noFindings());
        for (const s of after?.sessions ?? []) if (s.status === 'RUNNING') interrupted.add(s.id);
      }

      // The store goes on: a run to its end (a short budget: four spends), which closes every session the kills left RUNNING.
      const before = readStoreFile(db);
      const last = await spawnGauntlet([...researchArgs(db, 9), '--budget', '60'], { env: ws.env }).exited;
      const label = `store ${chain}, final run: `;
      expect(last.code, `${label}${last.stderr}`).toBe(0);
      const events: ResearchEvent[] = parseEvents(last.stdout);
      expect(FINAL, label).toContain(summaryOf(events).status);
      const f = noFindings();
      const after = await checkAtRest(db, ws.env, f, { label });
      const checked = reportedAreStored(events, after, f, label);
      nothingDropped(before, after, f, label);
      tally.add(f, checked);
      expect(f, label).toEqual(noFindings());
      expect(after!.sessions.filter((s) => s.status === 'RUNNING'), label).toEqual([]);
      for (const id of interrupted) {
        const s = after!.sessions.find((x) => x.id === id)!;
        expect(s.status, `${label}${id}`).toBe('INTERRUPTED');
        expect(s.reason, `${label}${id}`).toContain(`${spentIn(after!, id)} credits had been spent`);
      }
      expect(tempFiles(db), label).toEqual([]);
    }
    // Kills must mostly land: a run that finished before its kill point tests nothing.
    console.log(`kill9: ${killed} kills in ${i} runs, by mode ${JSON.stringify(killedBy)}`);
    expect(i, JSON.stringify(killedBy)).toBeLessThanOrEqual(2 * RUNS);
    expect(tally.lost).toBe(0);
    expect(tally.duplicated).toBe(0);
  }, Math.max(180_000, RUNS * 12_000));
});

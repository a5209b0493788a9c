/**
 * Suspend, resume and the safe keys, end to end in a real terminal (tmux), on the rules agents:
 * `k` then `n` cancels a kill; `q` in a browser closes the browser; `q` in the console suspends the
 * session with its proposal unanswered; `gauntlet resume ID` in another process offers the same
 * proposal again and goes on; afterwards the ledger verifies and the whole session replays byte
 * for byte. And four sessions in a row leave each one's lines exactly once in the scrollback.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EDGE_IDEA, EDGE_MARKET, STACK_FRAME, inproc, readStoreFile, workspace } from '../research/helpers.ts';
import { nextProposal, openConsole, shownProposal, storeDecisions } from './console-screen.ts';
import { tmuxAvailable, type Terminal } from './tmux.ts';

const HAVE_TMUX = tmuxAvailable();
const ws = workspace('e2e-resume');
const market = join(ws.dir, 'edge');
const terminals: Terminal[] = [];

beforeAll(async () => {
  if (!HAVE_TMUX) return;
  const synth = await inproc(['data', 'synth', ...EDGE_MARKET, '--out', market], ws.env);
  expect(synth.code, synth.stderr).toBe(0);
}, 60_000);

afterAll(async () => {
  for (const t of terminals) await t.close();
  ws.cleanup();
});

async function open(args: string[]): Promise<Terminal> {
  const term = await openConsole({ args, env: { GAUNTLET_CACHE: ws.cache } });
  terminals.push(term);
  return term;
}

describe.skipIf(!HAVE_TMUX)('suspend, resume and safe keys in a real terminal (tmux, 100×30)', () => {
  it('k then n cancels, q closes a browser, q suspends, resume in another process continues, the ledger verifies and replays', async () => {
    const db = join(ws.dir, 'db-resume');
    const first = await open(['--db', db, '--universe', market, '--offline', '--idea', EDGE_IDEA]);
    const p1 = await nextProposal(first, null, 45_000);
    await first.keys('a');
    await storeDecisions(db, 1);
    const { proposal: waiting } = await nextProposal(first, p1.proposal, 45_000);
    expect(waiting).not.toBeNull();

    // k asks; n cancels: nothing is decided and the proposal still waits.
    await first.keys('k');
    await first.waitFor((s) => s.includes('Kill the strategy? KILLED is final'), 'the kill confirmation');
    await first.keys('n');
    const back = await first.waitFor((s) => !s.includes('Kill the strategy?'), 'the confirmation gone');
    expect(shownProposal(back)).toEqual(waiting);
    expect(readStoreFile(db)!.decisions).toHaveLength(1);

    // q in a browser closes the browser, not the console.
    await first.keys('b');
    await first.waitFor((s) => s.includes('Specs · 1 strategy'), 'the spec browser');
    await first.keys('q');
    const console = await first.waitFor((s) => shownProposal(s) !== null, 'the console again');
    expect(shownProposal(console)).toEqual(waiting);
    expect(await first.exitStatus()).toBeNull();

    // q in the console suspends the session.
    await first.keys('q');
    expect(await first.exited(20_000)).toBe(0);
    let data = readStoreFile(db)!;
    expect(data.sessions.map((s) => s.status)).toEqual(['SUSPENDED']);
    expect(data.decisions).toHaveLength(1);
    const seqAtSuspension = data.ledger.at(-1)!.seq;

    // `gauntlet sessions` says so; `gauntlet resume s1-1` in another process offers the same proposal.
    const listed = await inproc(['sessions', '--db', db], ws.env);
    expect(listed.stdout).toMatch(/^s1-1 .*SUSPENDED/m);
    const second = await open(['resume', 's1-1', '--db', db, '--offline']);
    const again = await second.waitFor((s) => shownProposal(s) !== null || /^gauntlet/m.test(s), 'the waiting proposal, offered again', 45_000);
    expect(again).not.toMatch(STACK_FRAME);
    expect(shownProposal(again)).toEqual(waiting);
    expect(readStoreFile(db)!.sessions.map((s) => s.status)).toEqual(['RUNNING']);
    await second.keys('a');
    await storeDecisions(db, 2);
    await nextProposal(second, waiting, 45_000);
    await second.keys('k');
    await second.waitFor((s) => s.includes('Kill the strategy?'), 'the kill confirmation');
    await second.keys('y');
    await second.waitFor((s) => s.includes('■ KILLED'), 'KILLED');
    await second.keys('q');
    expect(await second.exited(20_000)).toBe(0);

    data = readStoreFile(db)!;
    expect(data.sessions.map((s) => [s.id, s.status])).toEqual([['s1-1', 'KILLED']]);
    expect(data.decisions.map((d) => d.decision)).toEqual(['approved', 'approved', 'killed']);
    // The resumed part follows the suspension in the same hash chain.
    expect(data.ledger.filter((e) => e.seq > seqAtSuspension).every((e) => e.session === 's1-1')).toBe(true);
    const verify = await inproc(['ledger', '--verify', '--db', db], ws.env);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    const replay = await inproc(['research', '--replay', 's1-1', '--db', db], ws.env);
    expect(replay.stdout).toMatch(/^replay of s1-1: \d+ ledger entries recorded, \d+ replayed — identical, byte for byte$/m);
    expect(replay.code).toBe(0);
  }, 180_000);

  it('four sessions in a row: each session\'s lines appear exactly once in the scrollback', async () => {
    const db = join(ws.dir, 'db-four');
    const term = await open(['--db', db, '--universe', market, '--offline']);
    await term.waitFor((s) => s.includes('Examples ('), 'the start screen', 30_000);
    for (let n = 1; n <= 4; n++) {
      await term.keys('Tab');
      await term.waitFor((s) => s.includes('[Esc] leave the box'), 'the idea box');
      await term.type(EDGE_IDEA);
      await term.waitFor((s) => s.includes(EDGE_IDEA.slice(-30)), 'the typed idea in the box');
      await term.keys('Enter');
      await nextProposal(term, null, 45_000);
      await term.keys('k');
      await term.waitFor((s) => s.includes('Kill the strategy?'), 'the kill confirmation');
      await term.keys('y');
      // `i` works once the session has ended (the header says ENDED).
      await term.waitFor((s) => s.includes('■ KILLED') && s.includes(`■ ENDED s1-${n}`), `session ${n} KILLED and ended`);
      await term.keys('i');
      await term.waitFor((s) => s.includes('Examples ('), 'the start screen again');
    }
    const scroll = await term.scrollback();
    for (let n = 1; n <= 4; n++) {
      const titles = scroll.split('\n').filter((l) => l.startsWith(`session s1-${n} · seed 1`));
      expect(titles, `session s1-${n}'s title line in:\n${scroll}`).toHaveLength(1);
    }
    expect(scroll.split('\n').filter((l) => l.startsWith('■ KILLED: killed by the user'))).toHaveLength(4);
    await term.keys('q');
    expect(await term.exited(20_000)).toBe(0);
  }, 240_000);
});

if (!HAVE_TMUX) {
  it.skip('needs tmux on PATH: the suspend/resume terminal test did not run', () => undefined);
}

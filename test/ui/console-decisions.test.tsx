import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { lockFile } from '../../src/core/store/paths.ts';
import { readStoreFile, storeProblems } from '../research/helpers.ts';
import { KEY, openConsole, type ConsoleFixture } from './support.tsx';

/**
 * Veto, veto with a note, kill, pause and quit, each driven by keys on the real console and checked
 * twice: on the frame the user sees and on the store the session wrote.
 */
describe('console: the approval inbox', () => {
  let fx: ConsoleFixture | null = null;
  afterEach(async () => { await fx?.cleanup(); fx = null; });

  const PROPOSAL = /Director proposes: (\S+)/;
  const start = async (f: ConsoleFixture): Promise<string> => {
    await f.drawn.waitFor((x) => x.includes('Examples ('), 10_000, 'the start screen');
    await f.drawn.press(KEY.enter);
    return f.drawn.waitFor((x) => x.includes('Director proposes: initial_backtest'), 30_000, 'the first proposal');
  };

  it('a veto spends nothing and is recorded as the user\'s', async () => {
    fx = await openConsole();
    await start(fx);
    await fx.drawn.press('v');
    // The vetoed offer is marked × in the Director pane; whatever comes next, nothing was paid.
    const after = await fx.drawn.waitFor((f) => f.includes('× initial_backtest') && (/■ \w+/.test(f) || PROPOSAL.test(f)), 30_000, 'the veto to land');
    expect(after).toContain('0 spent');
    const data = readStoreFile(fx.dir)!;
    expect(data.ledger.filter((e) => e.kind === 'spend')).toEqual([]);
    expect(data.decisions.map((d) => [d.decision, d.by, d.note])).toEqual([['vetoed', 'user', null]]);
    expect(data.proposals.map((p) => p.action)).toEqual(['initial_backtest']);
  });

  it('kill ends the session KILLED at once, having spent only what was approved', async () => {
    fx = await openConsole();
    await start(fx);
    await fx.drawn.press('a');
    await fx.drawn.waitFor((f) => /Director proposes: (?!initial)/.test(f), 30_000, 'the second proposal');
    // k asks; n cancels and nothing is decided; k then y kills.
    await fx.drawn.press('k');
    const ask = await fx.drawn.waitFor((f) => f.includes('Kill the strategy?'), 5_000, 'the kill confirmation');
    expect(ask).toContain('Kill the strategy? KILLED is final (q instead suspends the session, to resume later).');
    expect(ask).toContain('[y] yes, kill it  [n] no');
    await fx.drawn.press('n');
    await fx.drawn.waitFor((f) => /Director proposes: (?!initial)/.test(f) && !f.includes('Kill the strategy?'), 5_000, 'the proposal again');
    expect(readStoreFile(fx.dir)!.decisions.map((d) => d.decision)).toEqual(['approved']);
    await fx.drawn.press('k');
    await fx.drawn.waitFor((f) => f.includes('Kill the strategy?'), 5_000, 'the kill confirmation again');
    await fx.drawn.press('y');
    const end = await fx.drawn.waitFor((f) => f.includes('■ KILLED'), 30_000, 'KILLED');
    expect(end).toContain('■ KILLED: killed by the user');
    await fx.handle.close();
    const data = readStoreFile(fx.dir)!;
    expect(data.sessions.map((s) => s.status)).toEqual(['KILLED']);
    expect(data.ledger.filter((e) => e.kind === 'spend').map((e) => [e.action, e.cost])).toEqual([['initial_backtest', 10]]);
    expect(data.decisions.at(-1)!.decision).toBe('killed');
    expect(storeProblems(data)).toEqual([]);
  });

  it('pause holds the proposal: approving does nothing until resume', async () => {
    fx = await openConsole();
    await start(fx);
    await fx.drawn.press('p');
    await fx.drawn.waitFor((f) => f.includes('‖ PAUSED'), 5_000, 'PAUSED');
    await fx.drawn.press('a', 'v');
    await new Promise((r) => setTimeout(r, 400));
    expect(readStoreFile(fx.dir)!.decisions).toEqual([]);
    expect(fx.drawn.lastFrame()).toContain('‖ PAUSED');
    await fx.drawn.press('p');
    await fx.drawn.waitFor((f) => f.includes('Director proposes: initial_backtest') && f.includes('● RUNNING'), 5_000, 'resumed');
    await fx.drawn.press('a');
    await fx.drawn.waitFor((f) => f.includes('10 spent'), 30_000, 'the approved spend');
    expect(readStoreFile(fx.dir)!.ledger.filter((e) => e.kind === 'spend').map((e) => e.action)).toEqual(['initial_backtest']);
  });

  it('an idea the translator refuses: the reason on screen, no session stored, and a new idea can follow', async () => {
    fx = await openConsole();
    await fx.drawn.waitFor((x) => x.includes('Examples ('), 10_000, 'the start screen');
    await fx.drawn.press(KEY.tab, 'buy when foo(3) > 1', KEY.enter);
    const f = await fx.drawn.waitFor((x) => x.includes('✗ FAILED'), 30_000, 'the failure');
    expect(f).toContain('✗ rules: statement 1, column 10: unknown name "foo"');
    expect(f).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    expect(readStoreFile(fx.dir)!.sessions).toEqual([]);
    await fx.drawn.press('i');
    await fx.drawn.waitFor((x) => x.includes('Examples ('), 5_000, 'the start screen again');
  });

  it('q quits through Ink\'s exit: the session is SUSPENDED, the waiting proposal unanswered, and the store is closed', async () => {
    fx = await openConsole();
    await start(fx);
    await fx.drawn.press('q');
    await fx.drawn.exited;
    expect(existsSync(lockFile(fx.dir))).toBe(false);
    const data = readStoreFile(fx.dir)!;
    const last = data.ledger.at(-1)!;
    expect(data.sessions.map((s) => [s.status, s.reason])).toEqual([['SUSPENDED', `suspended at a proposal (ledger #${last.seq}); resume with 'gauntlet resume s1-1'`]]);
    expect(data.decisions).toEqual([]);
    expect(data.ledger.filter((e) => e.kind === 'spend')).toEqual([]);
    expect(data.ledger.some((e) => e.action.startsWith('status:'))).toBe(false);
  });

  it('Ctrl-C quits like q, also from a text box', async () => {
    fx = await openConsole();
    await fx.drawn.waitFor((x) => x.includes('Examples ('), 10_000, 'the start screen');
    await fx.drawn.press(KEY.tab, 'buy when', KEY.ctrlC);
    await fx.drawn.exited;
    expect(existsSync(lockFile(fx.dir))).toBe(false);
    expect(readStoreFile(fx.dir)!.sessions).toEqual([]);
  });
});

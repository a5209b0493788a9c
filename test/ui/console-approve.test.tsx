import { afterEach, describe, expect, it } from 'vitest';
import { readStoreFile, storeProblems } from '../research/helpers.ts';
import { KEY, openConsole, type ConsoleFixture } from './support.tsx';

/**
 * The approve path, driven by keys on the real console: the first bundled example is researched,
 * each proposal waits until `a`, and every spend in the store is one the user approved.
 */
describe('console: approving proposals', () => {
  let fx: ConsoleFixture | null = null;
  afterEach(async () => { await fx?.cleanup(); fx = null; });

  it('spends nothing until a proposal is approved, then exactly the approved costs', async () => {
    fx = await openConsole();
    const { drawn, dir } = fx;
    await drawn.waitFor((f) => f.includes('Examples ('), 10_000, 'the start screen');
    await drawn.press(KEY.enter);

    const first = await drawn.waitFor((f) => f.includes('Director proposes: initial_backtest'), 30_000, 'the first proposal');
    // Waiting for the user: the ledger holds the grant and records, no spend.
    let data = readStoreFile(dir)!;
    expect(data.ledger.filter((e) => e.kind === 'spend')).toEqual([]);
    const cost1 = Number(/initial_backtest \S+ \S+ · (\d+) credits/.exec(first)?.[1]);
    expect(cost1).toBe(10); // DESIGN §6 price of an initial backtest

    await drawn.press('a');
    const second = await drawn.waitFor((f) => /Director proposes: (?!initial)/.test(f), 30_000, 'the second proposal');
    data = readStoreFile(dir)!;
    const spends1 = data.ledger.filter((e) => e.kind === 'spend');
    expect(spends1.map((e) => [e.action, e.cost, e.approval?.by])).toEqual([['initial_backtest', 10, 'user']]);
    // The header's budget bar agrees with the ledger.
    expect(second).toContain(`${1000 - 10}/1000 left · 10 spent`);
    const offered = /Director proposes: (\S+) .*?· (\d+) credits/.exec(second)!;
    const [, action2, cost2] = offered;

    // Approve every further proposal (an INSUFFICIENT judgement buys more symbols) until the verdict; each
    // approval must land as exactly one spend of the offered cost, and nothing is spent between them.
    const offers: Array<[string, number]> = [['initial_backtest', 10], [action2!, Number(cost2)]];
    const final = /■ (DEAD|FROZEN|PROMOTED|KILLED)/;
    const proposal = /Director proposes: (\S+) .*?· (\d+) credits/;
    let frame = second;
    let shown = offered[0]!;
    for (let round = 0; round < 60 && !final.test(frame); round++) {
      const spent = readStoreFile(dir)!.ledger.filter((e) => e.kind === 'spend').length;
      await drawn.press('a');
      frame = await drawn.waitFor((f) => {
        if (final.test(f)) return true;
        const now = readStoreFile(dir)?.ledger.filter((e) => e.kind === 'spend').length ?? spent;
        const m = proposal.exec(f);
        return now > spent && m !== null && m[0] !== shown;
      }, 60_000, `the proposal after approval ${round + 2}`);
      const next = proposal.exec(frame);
      if (next !== null && !final.test(frame)) {
        shown = next[0];
        offers.push([next[1]!, Number(next[2])]);
      }
    }
    const end = frame;
    await fx.handle.close();
    data = readStoreFile(dir)!;
    const spends = data.ledger.filter((e) => e.kind === 'spend');
    expect(spends.map((e) => [e.action, e.cost])).toEqual(offers.slice(0, spends.length));
    expect(data.decisions.filter((d) => d.decision === 'approved').map((d) => d.by)).toEqual(spends.map(() => 'user'));
    expect(storeProblems(data)).toEqual([]);
    const session = data.sessions[0]!;
    expect(end).toContain(`■ ${session.status}`);
    const total = spends.reduce((a, e) => a + e.cost!, 0);
    expect(end).toContain(`${1000 - total}/1000 left · ${total} spent`);
  });
});

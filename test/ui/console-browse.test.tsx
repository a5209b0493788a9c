import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exampleIdeas } from '../../src/commands/ideas.ts';
import { readStoreFile, storeProblems } from '../research/helpers.ts';
import { KEY, openConsole, type ConsoleFixture } from './support.tsx';

/** Auto-approval, a Pine example from the start screen, the browsers over the store, and a second idea. */
describe('console: starting, auto-approval, browsers', () => {
  let fx: ConsoleFixture | null = null;
  let cwd: string | null = null;
  afterEach(async () => {
    await fx?.cleanup(); fx = null;
    if (cwd !== null) rmSync(cwd, { recursive: true, force: true });
    cwd = null;
  });

  it('approves by itself only what costs less than the standing limit, and says so', async () => {
    fx = await openConsole({ autoApprove: 11 });
    const d = fx.drawn;
    const start = await d.waitFor((x) => x.includes('Examples ('), 10_000, 'the start screen');
    expect(start).toContain('auto-approve < 11 cr');
    await d.press(KEY.enter);
    // initial_backtest (10 credits) goes through with no key pressed; the next proposal (more than 11) waits.
    const waiting = await d.waitFor((x) => /Director proposes: (?!initial)\S+ .*?· (\d+) credits/.test(x), 30_000, 'the second proposal');
    expect(Number(/Director proposes: \S+ .*?· (\d+) credits/.exec(waiting)![1])).toBeGreaterThanOrEqual(11);
    const data = readStoreFile(fx.dir)!;
    expect(data.ledger.filter((e) => e.kind === 'spend').map((e) => [e.action, e.cost, e.approval?.by])).toEqual([['initial_backtest', 10, 'user']]);
    expect(data.ledger.filter((e) => e.kind === 'spend')).toHaveLength(1);
    expect(fx.handle.store.getState().history.map((h) => h.lines[0] ?? '').find((l) => l.startsWith('▸'))).toMatch(/^▸ initial_backtest .* approved by standing approval/);
  });

  it('researches a Pine example picked from the list, then browses the store: specs, runs, ledger verified, library, dossier export', async () => {
    cwd = mkdtempSync(join(tmpdir(), 'gauntlet-ui-cwd-'));
    fx = await openConsole({ size: { columns: 120, rows: 40 }, cwd });
    const d = fx.drawn;
    await d.waitFor((x) => x.includes('Examples ('), 10_000, 'the start screen');
    const examples = exampleIdeas();
    const at = examples.findIndex((e) => e.label === '02-rsi-levels-long');
    expect(at).toBeGreaterThan(0);
    await d.press(...Array.from({ length: at }, () => KEY.down));
    await d.waitFor((x) => x.includes('> 02-rsi-levels-long'), 5_000, 'the cursor on the Pine example');
    await d.press(KEY.enter);
    await d.waitFor((x) => x.includes('Director proposes: initial_backtest'), 30_000, 'the first proposal');
    await d.press('a');
    await d.waitFor((x) => /Director proposes: (?!initial)/.test(x), 30_000, 'the second proposal');
    await d.press('k');
    await d.waitFor((x) => x.includes('Kill the strategy?'), 5_000, 'the kill confirmation');
    await d.press('y');
    await d.waitFor((x) => x.includes('■ KILLED'), 30_000, 'KILLED');
    const data = readStoreFile(fx.dir)!;
    expect(storeProblems(data)).toEqual([]);
    const spec = data.specs[0]!;
    const name = (spec.spec as { name: string }).name;
    // The translate record keeps the Pine source the example pointed at.
    expect(String(data.ledger.find((e) => e.action === 'translate')!.payload.idea)).toContain('//@version=5');

    await d.press('b');
    const specs = await d.waitFor((x) => x.includes('Specs · 1 strategy · 1 version'), 10_000, 'the spec browser');
    expect(specs).toContain(spec.id.slice(0, 8));
    await d.press('x');
    const exported = await d.waitFor((x) => x.includes('wrote dossier-'), 10_000, 'the export message');
    const file = readdirSync(cwd).find((f) => f.startsWith('dossier-'))!;
    expect(exported).toContain(`wrote ${file}`);
    expect(file).toBe(`dossier-${name.replace(/[^A-Za-z0-9_-]+/g, '-')}-${spec.id.slice(0, 8)}.md`);
    expect(readFileSync(join(cwd, file), 'utf8')).toContain(spec.id);

    await d.press(KEY.tab);
    const runs = await d.waitFor((x) => x.includes(`Runs · ${data.runs.length}`) && /trades \d+–\d+ of \d+|trades: none/.test(x), 10_000, 'the run browser with its trades');
    expect(runs).toContain(data.runs[0]!.id);
    await d.press(KEY.tab, 'v');
    const ledger = await d.waitFor((x) => x.includes('✓ verified:'), 10_000, 'the ledger verified');
    expect(ledger).toContain(`✓ verified: ${data.ledger.length} entries, hash chain intact, balances add up`);
    await d.press(KEY.tab);
    await d.waitFor((x) => x.includes('Candidate library · 0 promoted'), 5_000, 'the library');
    // q closes the browser (it does not quit the console).
    await d.press('q');
    await d.waitFor((x) => x.includes('─ 9 Decision') && x.includes('■ KILLED'), 5_000, 'back to the console');
    expect(existsSync(join(cwd, file))).toBe(true);
  });

  it('after a verdict, i starts a new idea in the same store as a second session', async () => {
    fx = await openConsole();
    const d = fx.drawn;
    await d.waitFor((x) => x.includes('Examples ('), 10_000, 'the start screen');
    await d.press(KEY.enter);
    await d.waitFor((x) => x.includes('Director proposes: initial_backtest'), 30_000, 'the first proposal');
    await d.press('v');
    await d.waitFor((x) => /■ \w+/.test(x), 30_000, 'the verdict');
    await d.press('i');
    await d.waitFor((x) => x.includes('Examples ('), 5_000, 'the start screen again');
    await d.press(KEY.down, KEY.enter);
    await d.waitFor((x) => x.includes('Director proposes: initial_backtest') && x.includes('● RUNNING s1-2'), 30_000, 'the second session');
    const data = readStoreFile(fx.dir)!;
    expect(data.sessions.map((s) => s.id)).toEqual(['s1-1', 's1-2']);
  });
});

/**
 * The research scope from the user (`--symbols`, `--sector`, `--interval`): the Director proposes nothing
 * outside it, bad values are refused before anything is written, and a replay researches the same scope.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scopedUniverse } from '../../src/core/research/scope.ts';
import type { UniverseView } from '../../src/core/research/ports.ts';
import { loadBundledUniverse } from '../../src/engine/data/universe.ts';
import { inproc, parseEvents, readStoreFile, summaryOf, workspace } from './helpers.ts';

const ws = workspace('scope');
afterAll(() => ws.cleanup());
const IDEA = 'buy when rsi(2) < 10; sell when rsi(2) > 70';

describe('scopedUniverse', () => {
  const view: UniverseView = {
    symbols: () => [
      { symbol: 'A', sector: 'S1', market_type: 'equities', intervals: ['1h', '4h', '1d'] },
      { symbol: 'B', sector: 'S2', market_type: 'equities', intervals: ['1d'] },
      { symbol: 'C', sector: 'S1', market_type: 'equities', intervals: ['1d'] },
    ],
    realizedVol: () => 0.2,
    visibleBars: () => 1000,
    sealedBars: () => 250,
  };
  it('keeps the symbols in scope, and only the scope\'s interval', () => {
    expect(scopedUniverse(view, {}).symbols().map((u) => u.symbol)).toEqual(['A', 'B', 'C']);
    expect(scopedUniverse(view, { sector: 'S1' }).symbols().map((u) => u.symbol)).toEqual(['A', 'C']);
    expect(scopedUniverse(view, { symbols: ['A', 'B'], sector: 'S1' }).symbols().map((u) => u.symbol)).toEqual(['A']);
    expect(scopedUniverse(view, { interval: '1h' }).symbols()).toEqual([{ symbol: 'A', sector: 'S1', market_type: 'equities', intervals: ['1h'] }]);
  });

  it('downloads what a scope without --interval lacks; a scope of one interval downloads nothing', () => {
    const offering: UniverseView = { ...view, downloadOffer: () => ({ ok: true, source: 'yahoo', fetch: '1h' }) };
    expect(scopedUniverse(offering, { sector: 'S1' }).downloadOffer?.(['C'], '1h')).toEqual({ ok: true, source: 'yahoo', fetch: '1h' });
    expect(scopedUniverse(offering, { sector: 'S1', interval: '1d' }).downloadOffer).toBeUndefined();
  });
});

describe('gauntlet research with a scope', () => {
  it('--sector: every run is in the sector; the scope is said, recorded, and replayed', async () => {
    const db = join(ws.dir, 'sector');
    const r = await inproc(['research', IDEA, '--sector', 'utilities', '--approve', 'all', '--offline', '--db', db, '--json'], ws.env);
    expect(r.code, r.stderr).toBe(0);
    const events = parseEvents(r.stdout);
    expect(events.some((e) => e.event === 'note' && e.text === 'scope: sector Utilities (the Director proposes nothing outside it)')).toBe(true);
    const universe = loadBundledUniverse(undefined, { cacheDir: null });
    const runs = events.filter((e) => e.event === 'run').map((e) => (e as { key: { symbol: string } }).key.symbol);
    expect(runs.length).toBeGreaterThan(0);
    expect(runs.filter((s) => universe.info(s).sector !== 'Utilities')).toEqual([]);
    const data = readStoreFile(db)!;
    expect(data.ledger.find((e) => e.action === 'translate')!.payload.scope_sector).toBe('Utilities');
    const replay = await inproc(['research', '--replay', 's1-1', '--db', db, '--json'], ws.env);
    expect(replay.code, replay.stdout + replay.stderr).toBe(0);
    expect((JSON.parse(replay.stdout) as { identical: boolean }).identical).toBe(true);
  });

  it('--symbols and --interval: nothing else is tested or proposed; an exhausted scope freezes or the gates decide', async () => {
    const r = await inproc(['research', IDEA, '--symbols', 'aapl,MSFT', '--interval', '1d', '--approve', 'all', '--offline', '--db', join(ws.dir, 'symbols'), '--json'], ws.env);
    expect(r.code, r.stderr).toBe(0);
    const events = parseEvents(r.stdout);
    const keys = events.filter((e) => e.event === 'run').map((e) => (e as { key: { symbol: string; interval: string } }).key);
    expect(new Set(keys.map((k) => k.symbol))).toEqual(new Set(['AAPL', 'MSFT']));
    expect(new Set(keys.map((k) => k.interval))).toEqual(new Set(['1d']));
    const offered = events.filter((e) => e.event === 'proposal').map((e) => (e as { proposal: { action: string } }).proposal.action);
    expect(offered).not.toContain('add_interval');
    expect(['DEAD', 'FROZEN']).toContain(summaryOf(events).status);
  });

  it('bad scopes are refused with exit 2 and a whole message, before anything is written', async () => {
    const cases: Array<[string[], string]> = [
      [['--symbols', 'AAPL,MSFTT'], "gauntlet research: --symbols: not in the universe: MSFTT (did you mean MSFT?). 'gauntlet data info' lists the symbols."],
      [['--symbols', ' , '], 'gauntlet research: --symbols needs a comma-separated list of symbols, e.g. --symbols AAPL,MSFT'],
      [['--interval', '2h'], 'gauntlet research: --interval must be one of 1m 5m 15m 1h 4h 1d, got "2h"'],
      [['--sector', 'Index', '--interval', '5m'], "gauntlet research: no symbol of the universe is in that scope (sector Index, interval 5m); 'gauntlet data info' lists what each symbol has"],
    ];
    for (const [i, [args, message]] of cases.entries()) {
      const db = join(ws.dir, `bad-${i}`);
      const r = await inproc(['research', IDEA, '--approve', 'all', '--offline', '--db', db, ...args], ws.env);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toBe(`${message}\n`);
      expect(existsSync(db)).toBe(false);
    }
    const sector = await inproc(['research', IDEA, '--offline', '--db', join(ws.dir, 'bad-sector'), '--sector', 'Tech'], ws.env);
    expect(sector.code).toBe(2);
    expect(sector.stderr).toMatch(/^gauntlet research: --sector "Tech" is not a sector of the universe; its sectors: Consumer Discretionary, .*Information Technology, .*Utilities\n$/);
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';

// Colour must be possible for the NO_COLOR test to mean anything: chalk reads FORCE_COLOR when ink loads.
vi.hoisted(() => { process.env.FORCE_COLOR = '1'; });

import { consoleLayout, MIN_COLUMNS, MIN_ROWS, PANES } from '../../src/ui/layout.ts';
import { KEY, openConsole, type ConsoleFixture } from './support.tsx';

/** The live region of a frame: what follows the scrollback history (<Static>) Ink prints above it. */
function live(frame: string, fx: ConsoleFixture): string[] {
  const history = fx.handle.store.getState().history.reduce((n, h) => n + h.lines.length, 0);
  return frame.split('\n').slice(history);
}

// An SGR escape (colour, bold …), built from a string so the regex holds no control character literal.
const ESC_SGR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`);

describe('consoleLayout', () => {
  it('keeps the live region one line shorter than the terminal and the panes inside its width', () => {
    for (let rows = MIN_ROWS; rows <= 70; rows++) {
      for (let columns = MIN_COLUMNS; columns <= 220; columns += 7) {
        const l = consoleLayout(columns, rows);
        expect(l.tooSmall).toBe(false);
        const lines = l.headerLines + 1 + l.areaHeight + l.inboxLines + 1;
        expect(lines).toBe(rows - 1);
        expect(l.paneHeights.reduce((a, b) => a + b, 0)).toBe(l.areaHeight);
        expect(l.grid.flatMap((g) => g.panes)).toEqual([...PANES]);
        expect(l.grid.map((g) => g.height)).toEqual(l.paneHeights);
        expect(Math.min(...l.paneHeights)).toBeGreaterThanOrEqual(4); // a title rule and three lines at least
        expect(l.paneWidth * l.gridColumns + (l.gridColumns - 1)).toBeLessThanOrEqual(columns);
        for (const g of l.grid) expect(g.widths.reduce((a, b) => a + b, 0) + (g.panes.length - 1)).toBeLessThanOrEqual(columns);
        expect(Math.min(...l.grid.flatMap((g) => g.widths))).toBe(l.paneWidth);
      }
    }
  });

  it('four abreast, gives the second row (chart, gates, review, verdict) the height of a tall terminal', () => {
    // 200×50: 50 − 6 fixed lines = 44 for the panes; the first row 30 % (13), the second the rest (31).
    expect(consoleLayout(200, 50)).toMatchObject({ gridColumns: 4, headerLines: 1, areaHeight: 44, paneHeights: [13, 31] });
    // 160×30: 24 lines; the first row keeps its 10-line floor.
    expect(consoleLayout(160, 30).paneHeights).toEqual([10, 14]);
  });

  it('from 120 columns, three rows instead of four: every pane taller, the tables as wide as before', () => {
    // 119×40: two abreast, 40 − 7 fixed lines (a two-line header) = 33, four rows of 8 and the rest (9), 59 wide.
    const narrow = consoleLayout(119, 40);
    expect(narrow).toMatchObject({ gridColumns: 2, paneWidth: 59, paneHeights: [8, 8, 8, 9] });
    // 120×40: 34 lines; the first row 30 % (10), the other two 12 each. Widths: 118 columns between
    // three panes (39 each); 119 between two (59); 118 shared 2:1:1 (59, 29, 29).
    const wide = consoleLayout(120, 40);
    expect(wide).toMatchObject({ gridColumns: 3, paneWidth: 29, headerLines: 1, areaHeight: 34, paneHeights: [10, 12, 12] });
    expect(wide.grid.map((g) => [g.panes, g.widths])).toEqual([
      [['translator', 'spec', 'compiler'], [39, 39, 39]], [['director', 'engine'], [59, 59]], [['gates', 'reviewer', 'decision'], [59, 29, 29]],
    ]);
    // The Director, the engine, the gates and the review get 12 lines at 120×40, against 8 at 119×40;
    // the Director, the engine and the gates stay 59 wide.
    expect(Math.min(...wide.paneHeights.slice(1))).toBeGreaterThan(Math.max(...narrow.paneHeights.slice(0, 3)));
    // 159×30: 24 lines, 8 a row; 157 shared 2:1:1 is 78, 39, 39.
    expect(consoleLayout(159, 30)).toMatchObject({ gridColumns: 3, paneHeights: [8, 8, 8] });
    expect(consoleLayout(159, 30).grid.map((g) => g.widths)).toEqual([[52, 52, 52], [79, 79], [78, 39, 39]]);
  });

  it('calls anything below 80×24 too small', () => {
    expect(consoleLayout(79, 40).tooSmall).toBe(true);
    expect(consoleLayout(200, 23).tooSmall).toBe(true);
    expect(consoleLayout(80, 24).tooSmall).toBe(false);
  });
});

describe('the console at a terminal size', () => {
  let fx: ConsoleFixture | null = null;
  afterEach(async () => { await fx?.cleanup(); fx = null; });

  const fits = (frame: string, f: ConsoleFixture, columns: number, rows: number): void => {
    const lines = live(frame, f);
    expect(lines.length, frame).toBeLessThanOrEqual(rows - 1);
    for (const l of frame.split('\n')) expect([...l.replace(ESC_SGR, '')].length, l).toBeLessThanOrEqual(columns);
  };

  for (const [columns, rows] of [[80, 24], [100, 30], [200, 50]] as const) {
    it(`fits ${columns}×${rows}: start screen, panes, help and browsers`, async () => {
      fx = await openConsole({ size: { columns, rows }, env: { NO_COLOR: '1' } });
      const d = fx.drawn;
      fits(await d.waitFor((x) => x.includes('Examples ('), 10_000, 'the start screen'), fx, columns, rows);
      await d.press(KEY.enter);
      fits(await d.waitFor((x) => x.includes('Director proposes: initial_backtest'), 30_000, 'a proposal'), fx, columns, rows);
      await d.press('a');
      const second = await d.waitFor((x) => /Director proposes: (?!initial)/.test(x), 30_000, 'the second proposal');
      fits(second, fx, columns, rows);
      // All eight stage panes are on screen, each with its title rule.
      for (const title of ['2 Translator', '3 Spec', '4 Compiler', '5 Director', '6 Engine', '7 Gates', '8 Reviewer', '9 Decision']) expect(second).toContain(`─ ${title}`);
      await d.press('?');
      fits(await d.waitFor((x) => x.includes('Keys — research console'), 5_000, 'the help'), fx, columns, rows);
      await d.press('?', 'b');
      fits(await d.waitFor((x) => x.includes('Specs · 1 strategy'), 5_000, 'the spec browser'), fx, columns, rows);
      await d.press(KEY.tab);
      fits(await d.waitFor((x) => x.includes('trades 1–') || x.includes('trades: none'), 10_000, 'the run browser with its detail'), fx, columns, rows);
    });
  }

  it('follows the terminal when it is resized, down to too small and back', async () => {
    fx = await openConsole({ size: { columns: 120, rows: 40 }, follow: true, env: { NO_COLOR: '1' } });
    const d = fx.drawn;
    const wide = await d.waitFor((x) => x.includes('Examples ('), 10_000, 'the start screen');
    expect(Math.max(...wide.split('\n').map((l) => l.length))).toBe(120);
    d.resize(70, 20);
    await d.waitFor((x) => x.includes('terminal too small (70×20)'), 5_000, 'the too-small line');
    d.resize(90, 26);
    const back = await d.waitFor((x) => x.includes('Examples ('), 5_000, 'the start screen again');
    expect(Math.max(...back.split('\n').map((l) => l.length))).toBe(90);
    expect(back.split('\n').length).toBeLessThanOrEqual(25);
  });

  it('says so, wrapped to the width rather than cut, when the terminal is below 80×24', async () => {
    fx = await openConsole({ size: { columns: 79, rows: 30 } });
    const f = await fx.drawn.waitFor((x) => x.includes('terminal too small'), 10_000, 'the too-small line');
    expect(f.trim().split('\n').map((l) => l.trimEnd())).toEqual([
      'terminal too small (79×30): the console needs at least 80×24. Resize it, or',
      'press q to quit.',
    ]);
  });

  it('honours NO_COLOR: the same screen with and without colour, escapes only when colour is allowed', async () => {
    fx = await openConsole({ env: { NO_COLOR: '1' } });
    const plain = await fx.drawn.waitFor((x) => x.includes('Examples ('), 10_000, 'the start screen');
    await fx.cleanup();
    fx = await openConsole({ env: {} });
    const coloured = await fx.drawn.waitFor((x) => x.includes('Examples ('), 10_000, 'the start screen');
    expect(ESC_SGR.test(coloured)).toBe(true);
    expect(ESC_SGR.test(plain)).toBe(false);
    // Same text once the colour is stripped (store paths differ between the two temp stores).
    const strip = (s: string): string => s.replace(new RegExp(ESC_SGR.source, 'g'), '').replace(/store \S+/, 'store X');
    expect(strip(coloured)).toBe(strip(plain));
  });
});

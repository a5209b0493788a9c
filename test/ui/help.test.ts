/**
 * The help overlay wraps instead of cutting, and scrolls when even wrapped it does not fit: at every
 * size, every binding's whole help text can be read, and no line is wider than its column.
 */
import { describe, expect, it } from 'vitest';
import { helpColumns } from '../../src/ui/components/HelpOverlay.tsx';
import { KEYMAP, helpSections } from '../../src/ui/keymap.ts';

/** Every line the help can show at this size, scrolling from the top to the end. */
function allLines(screen: 'start' | 'console', width: number, body: number): { lines: string[]; colWidth: number; columns: number } {
  const out: string[] = [];
  let offset = 0;
  for (;;) {
    const { cols, colWidth, first, total } = helpColumns(screen, width, body, offset);
    const shown = cols.flat().map((l) => l.text);
    out.splice(first, shown.length, ...shown);
    if (first + shown.length >= total) return { lines: out, colWidth, columns: cols.length };
    offset = first + shown.length;
  }
}

describe('the help overlay', () => {
  for (const [width, body] of [[80, 18], [100, 24], [120, 35], [200, 45]] as const) {
    it(`at ${width} columns × ${body} rows shows every help text whole, wrapped to its column`, () => {
      const { lines, colWidth, columns } = allLines('console', width, body);
      expect(columns * colWidth + (columns - 1) * 2).toBeLessThanOrEqual(width);
      for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(colWidth);
      // The wrapped text, joined again, holds each binding's help word for word.
      const text = lines.join(' ').replace(/\s+/g, ' ');
      const scopes = new Set(helpSections().filter((s) => s.scope !== 'start' && s.scope !== 'idea').map((s) => s.scope));
      for (const b of KEYMAP.filter((x) => scopes.has(x.scope))) expect(text).toContain(b.help);
    });
  }

  it('needs no scrolling where it fits, and scrolls (clamped) where it does not', () => {
    const wide = helpColumns('console', 200, 45);
    expect(wide.first).toBe(0);
    expect(wide.cols.flat()).toHaveLength(wide.total);
    const small = helpColumns('console', 80, 18, 10_000);
    expect(small.cols.length).toBe(2);
    expect(small.first + small.cols.flat().length).toBe(small.total);
  });
});

describe('a zoomed pane', () => {
  it('wraps a long line under itself (continuations indented, colour kept) instead of cutting it', async () => {
    const { wrapLine } = await import('../../src/ui/components/Pane.tsx');
    expect(wrapLine('  short', 20)).toEqual(['  short']);
    // Width 20, indent 2: every part is wrapped to 20 − 2 − 2 = 16 columns, continuations indented 2 more.
    expect(wrapLine('  the Reviewer says the edge is in one sector', 20)).toEqual(['  the Reviewer', '    says the edge is', '    in one sector']);
    expect(wrapLine({ text: 'gates failed on the holdout leg', color: 'red' }, 16)).toEqual([
      { text: 'gates failed', color: 'red' }, { text: '  on the holdout', color: 'red' }, { text: '  leg', color: 'red' },
    ]);
  });
});

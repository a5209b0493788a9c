import type { FC } from 'react';
import { Box, Text } from 'ink';
import { helpSections, type Scope } from '../keymap.ts';
import { clip, wrap } from '../text.ts';
import { Tone } from './Tone.tsx';
import { useConsole } from '../useConsole.ts';

const SCREEN_SCOPES: Record<'start' | 'console', Scope[]> = {
  start: ['start', 'idea', 'global', 'always', 'help'],
  console: ['console', 'confirm', 'note', 'browser', 'global', 'always', 'help'],
};

const KEY_COLUMN = 12;

/** The help's lines at a column width: each row's text wrapped under itself, after its keys. */
function helpLines(screen: 'start' | 'console', colWidth: number): Array<{ text: string; title: boolean }> {
  const lines: Array<{ text: string; title: boolean }> = [];
  for (const sec of helpSections().filter((x) => SCREEN_SCOPES[screen].includes(x.scope))) {
    lines.push({ text: sec.title, title: true });
    for (const r of sec.rows) {
      const keys = `  ${r.keys.padEnd(KEY_COLUMN - 3)} `;
      const room = Math.max(8, colWidth - Math.max(keys.length, KEY_COLUMN));
      wrap(r.help, room).forEach((part, i) => lines.push({ text: `${i === 0 ? keys.padEnd(KEY_COLUMN) : ' '.repeat(KEY_COLUMN)}${part}`, title: false }));
    }
  }
  return lines;
}

/** Columns at least this wide, so that the help wraps into readable lines. */
const MIN_COLUMN = 36;

/**
 * The help laid out: as few columns (of at least MIN_COLUMN, at most four) as hold every wrapped
 * line in `body` rows; when even those cannot, the lines scroll from `offset` (clamped) instead of being cut.
 */
export function helpColumns(screen: 'start' | 'console', width: number, body: number, offset = 0): { cols: Array<Array<{ text: string; title: boolean }>>; colWidth: number; first: number; total: number } {
  const most = Math.max(1, Math.min(4, Math.floor((width + 2) / (MIN_COLUMN + 2))));
  for (let columns = 1; ; columns++) {
    const colWidth = Math.floor((width - (columns - 1) * 2) / columns);
    const lines = helpLines(screen, colWidth);
    const room = body * columns;
    if (lines.length <= room || columns >= most) {
      const first = Math.min(Math.max(0, offset), Math.max(0, lines.length - room));
      const shown = lines.slice(first, first + room);
      return { cols: Array.from({ length: columns }, (_, c) => shown.slice(c * body, (c + 1) * body)), colWidth, first, total: lines.length };
    }
  }
}

/** The keys of this screen, generated from the key map, wrapped, in as many columns as they need. */
export const HelpOverlay: FC<{ width: number; height: number; screen: 'start' | 'console' }> = ({ width, height, screen }) => {
  const offset = useConsole((s) => s.helpOffset);
  const body = Math.max(1, height - 1);
  const { cols, colWidth, first, total } = helpColumns(screen, width, body, offset);
  const shown = cols.reduce((a, c) => a + c.length, 0);
  const scroll = shown < total ? ` · lines ${first + 1}–${first + shown} of ${total}, PgDn/PgUp scroll` : '';
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Tone bold color="cyan">{clip(`Keys — ${screen === 'start' ? 'start screen' : 'research console'} (? or Esc closes)${scroll}`, width)}</Tone>
      <Box flexDirection="row" columnGap={2}>
        {cols.map((col, c) => (
          <Box key={c} flexDirection="column" width={colWidth}>
            {col.map((l, i) => <Text key={i} wrap="truncate">{l.title ? <Tone bold>{clip(l.text, colWidth)}</Tone> : clip(l.text, colWidth)}</Text>)}
          </Box>
        ))}
      </Box>
    </Box>
  );
};

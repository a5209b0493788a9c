import type { FC } from 'react';
import { Box, Text } from 'ink';
import { helpSections, type Scope } from '../keymap.ts';
import { clip } from '../text.ts';
import { Tone } from './Tone.tsx';

const SCREEN_SCOPES: Record<'start' | 'console', Scope[]> = {
  start: ['start', 'idea', 'global', 'always'],
  console: ['console', 'confirm', 'note', 'browser', 'global', 'always'],
};

/** The keys of this screen, generated from the key map, in as many columns as the width allows. */
export const HelpOverlay: FC<{ width: number; height: number; screen: 'start' | 'console' }> = ({ width, height, screen }) => {
  const lines: Array<{ text: string; title: boolean }> = [];
  for (const sec of helpSections().filter((x) => SCREEN_SCOPES[screen].includes(x.scope))) {
    lines.push({ text: sec.title, title: true });
    for (const r of sec.rows) lines.push({ text: `  ${r.keys.padEnd(9)} ${r.help}`, title: false });
  }
  const body = Math.max(1, height - 1);
  const columns = Math.max(1, Math.ceil(lines.length / body));
  const colWidth = Math.floor((width - (columns - 1) * 2) / columns);
  const cols = Array.from({ length: columns }, (_, c) => lines.slice(c * body, (c + 1) * body));
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Tone bold color="cyan">{clip(`Keys — ${screen === 'start' ? 'start screen' : 'research console'} (? or Esc closes)`, width)}</Tone>
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

import type { FC } from 'react';
import { Box, Text } from 'ink';
import { clip } from '../text.ts';

/**
 * The browsers draw themselves as a list of one-line strings with a tone, so their height is a
 * count the code controls (never the terminal's wrapping) and colour is an afterthought: with
 * colour off every line is the same text, and the selection is still marked by its "›".
 */
export type Tone = 'plain' | 'title' | 'dim' | 'good' | 'bad' | 'selected';

export interface Line { text: string; tone?: Tone }

export const line = (text: string, tone: Tone = 'plain'): Line => ({ text, tone });

const COLORS: Partial<Record<Tone, string>> = { good: 'green', bad: 'red', dim: 'gray' };

export interface LinesProps {
  lines: readonly Line[];
  width: number;
  /** At most this many lines are drawn; the rest are dropped. */
  height: number;
  color: boolean;
}

export const Lines: FC<LinesProps> = ({ lines, width, height, color }) => {
  const shown = lines.slice(0, Math.max(0, Math.floor(height)));
  return (
    <Box flexDirection="column" width={width} height={shown.length}>
      {shown.map((l, i) => {
        const text = clip(l.text, width);
        const tone = l.tone ?? 'plain';
        if (!color || tone === 'plain') return <Text key={i} wrap="truncate">{text}</Text>;
        return (
          <Text key={i} wrap="truncate" bold={tone === 'title'} inverse={tone === 'selected'} {...(COLORS[tone] === undefined ? {} : { color: COLORS[tone] })}>
            {text}
          </Text>
        );
      })}
    </Box>
  );
};

/** `› ` before the selected row, two spaces before the others. */
export const mark = (selected: boolean): string => (selected ? '› ' : '  ');

/** Left-aligned columns: each cell padded to its width and clipped, joined by two spaces. */
export function columns(cells: ReadonlyArray<readonly [string, number]>): string {
  return cells.map(([s, w]) => clip(s, w).padEnd(w)).join('  ').trimEnd();
}

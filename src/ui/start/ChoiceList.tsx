import type { FC } from 'react';
import { Box, Text } from 'ink';
import type { IdeaChoice } from '../state/types.ts';
import { Tone } from '../components/Tone.tsx';
import { clip } from '../text.ts';

/** The window of `height` rows that keeps `cursor` visible, centred when it can be. */
export function windowStart(count: number, cursor: number, height: number): number {
  if (count <= height) return 0;
  return Math.min(count - height, Math.max(0, cursor - Math.floor(height / 2)));
}

/** A list of ideas with a cursor; `>` marks the highlighted one (also under NO_COLOR). */
export const ChoiceList: FC<{ items: readonly IdeaChoice[]; cursor: number; active: boolean; width: number; height: number; empty: string }> = ({ items, cursor, active, width, height, empty }) => {
  if (items.length === 0) return <Tone dim>{clip(`  ${empty}`, width)}</Tone>;
  const from = windowStart(items.length, cursor, height);
  const labelWidth = Math.min(34, Math.floor(width / 2), Math.max(...items.map((i) => i.label.length)));
  return (
    <Box flexDirection="column" height={Math.min(height, items.length)}>
      {items.slice(from, from + height).map((item, k) => {
        const i = from + k;
        const on = i === cursor;
        const text = clip(`${on ? '>' : ' '} ${clip(item.label, labelWidth).padEnd(labelWidth)}  ${item.kind.padEnd(4)}  ${item.about ?? ''}`, width);
        return <Text key={`${i}-${item.label}`} wrap="truncate">{on && active ? <Tone inverse bold>{text}</Tone> : on ? <Tone bold>{text}</Tone> : text}</Text>;
      })}
    </Box>
  );
};

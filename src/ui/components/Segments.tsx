import type { FC } from 'react';
import { Text } from 'ink';
import { clip } from '../text.ts';
import { Tone } from './Tone.tsx';

export interface Segment {
  text: string;
  color?: string;
  bold?: boolean;
  dim?: boolean;
}

/** One line made of styled pieces, cut as a whole to `width` (a piece that does not fit is clipped, the rest dropped). */
export const Segments: FC<{ parts: readonly Segment[]; width: number }> = ({ parts, width }) => {
  let room = Math.max(0, Math.floor(width));
  const shown: Segment[] = [];
  for (const p of parts) {
    if (room <= 0) break;
    const text = clip(p.text, room);
    shown.push({ ...p, text });
    room -= text.length;
  }
  return (
    <Text wrap="truncate">
      {shown.map((p, i) => (p.color === undefined && p.bold !== true && p.dim !== true
        ? <Text key={i}>{p.text}</Text>
        : <Tone key={i} color={p.color} bold={p.bold} dim={p.dim}>{p.text}</Tone>))}
    </Text>
  );
};

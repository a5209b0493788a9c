import { createContext, useContext, type FC, type ReactNode } from 'react';
import { Box, Text } from 'ink';
import type { StageStatus } from '../state/types.ts';
import { clip, wrap } from '../text.ts';
import { Tone } from './Tone.tsx';

/** A line of pane text; styling is dropped under NO_COLOR. */
export type Line = string | { text: string; color?: string; bold?: boolean; dim?: boolean };

export const STATUS_GLYPH: Record<StageStatus, string> = { pending: '◌', running: '●', done: '✓', failed: '✗' };
export const STATUS_COLOR: Record<StageStatus, string> = { pending: 'gray', running: 'yellow', done: 'green', failed: 'red' };

export interface PaneProps {
  /** Stage number (DESIGN §1), shown before the title; the zoom key. */
  n?: number;
  title: string;
  /** Shown at the right end of the title rule. */
  right?: string;
  status?: StageStatus;
  width: number;
  /** Lines in total, the title rule included; the content never renders taller. */
  height: number;
  children: ReactNode;
}

/** The title rule of a pane: `─ 3 Spec rsi-reversion v2 ✓ ────── logic 7c1e… ─`, exactly `width` wide. */
export function titleRule(width: number, title: string, right?: string): string {
  const left = `─ ${title} `;
  const r = right === undefined || right === '' ? '' : ` ${right} ─`;
  const room = width - left.length - r.length;
  if (room >= 1) return left + '─'.repeat(room) + r;
  return clip(left + '─'.repeat(Math.max(0, width - left.length)), width);
}

/** A stage pane: a title rule and bounded content. */
export const Pane: FC<PaneProps> = ({ n, title, right, status, width, height, children }) => {
  const head = `${n === undefined ? '' : `${n} `}${title}${status === undefined ? '' : ` ${STATUS_GLYPH[status]}`}`;
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Tone color={status === undefined ? 'cyan' : STATUS_COLOR[status]} bold={status === 'running'}>{titleRule(width, head, right === undefined ? undefined : clip(right, Math.max(0, width - head.length - 8)))}</Tone>
      <Box flexDirection="column" height={Math.max(0, height - 1)} overflow="hidden">{children}</Box>
    </Box>
  );
};

/** True inside a zoomed pane: it has the room, so its lines wrap instead of being cut. */
export const WrapLines = createContext(false);

/** A line longer than `width` as several, continuations indented by two spaces, styling kept. */
export function wrapLine(l: Line, width: number): Line[] {
  const o = typeof l === 'string' ? { text: l } : l;
  if (o.text.length <= width) return [l];
  const lead = /^\s*/.exec(o.text)![0];
  const [first = '', ...rest] = wrap(o.text.slice(lead.length), Math.max(1, width - lead.length - 2));
  const parts = [`${lead}${first}`, ...rest.map((x) => `${lead}  ${x}`)];
  return parts.map((text) => (typeof l === 'string' ? text : { ...o, text }));
}

/**
 * Which lines to draw in `max` rows: a zoomed pane wraps every line; any other wraps its long lines,
 * first to last, as long as the spare rows last (every item keeps its own row first), and cuts the rest.
 */
export function fitLines(lines: readonly Line[], width: number, max: number, zoomed: boolean): Line[] {
  if (zoomed) return lines.flatMap((l) => wrapLine(l, width));
  let spare = max - Math.min(lines.length, max);
  return lines.flatMap((l) => {
    const parts = wrapLine(l, width);
    if (parts.length === 1 || parts.length - 1 > spare) return [l];
    spare -= parts.length - 1;
    return parts;
  });
}

/** Pane content as lines (fitLines: wrapped where the rows allow, else cut to `width`); only the first `max` are drawn. */
export const Lines: FC<{ lines: Line[]; width: number; max: number }> = ({ lines, width, max }) => {
  const shown = fitLines(lines, width, max, useContext(WrapLines));
  return (
    <>
      {shown.slice(0, Math.max(0, max)).map((l, i) => {
        const o = typeof l === 'string' ? { text: l } : l;
        return <Text key={i} wrap="truncate">{o.color === undefined && o.bold !== true && o.dim !== true ? clip(o.text, width) : <Tone color={o.color} bold={o.bold} dim={o.dim}>{clip(o.text, width)}</Tone>}</Text>;
      })}
    </>
  );
};

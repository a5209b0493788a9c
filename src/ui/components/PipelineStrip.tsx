import type { FC } from 'react';
import { Text } from 'ink';
import { STAGES, type Stage } from '../../core/research/events.ts';
import type { StageStatus } from '../state/types.ts';
import { useConsole } from '../useConsole.ts';
import { STATUS_COLOR, STATUS_GLYPH } from './Pane.tsx';
import { Tone } from './Tone.tsx';

const FULL: Record<Stage, string> = { idea: 'Idea', translator: 'Translator', spec: 'Spec', compiler: 'Compiler', director: 'Director', engine: 'Engine', gates: 'Gates', reviewer: 'Reviewer', decision: 'Decision' };
const SHORT: Record<Stage, string> = { idea: 'Idea', translator: 'Transl', spec: 'Spec', compiler: 'Compile', director: 'Director', engine: 'Engine', gates: 'Gates', reviewer: 'Review', decision: 'Decide' };

type Format = (n: number, stage: Stage, s: StageStatus) => string;
const FORMATS: Array<{ cell: Format; sep: string }> = [
  { cell: (n, st, s) => `${n} ${FULL[st]} ${STATUS_GLYPH[s]}`, sep: ' ─ ' },
  { cell: (n, st, s) => `${n} ${FULL[st]} ${STATUS_GLYPH[s]}`, sep: '  ' },
  { cell: (n, st, s) => `${n}${STATUS_GLYPH[s]}${SHORT[st]}`, sep: ' ' },
];

/** The widest of the strip's formats that fits `width`. */
export function stripCells(statuses: Record<Stage, { status: StageStatus }>, width: number): { cells: Array<{ text: string; status: StageStatus }>; sep: string } {
  for (const f of FORMATS) {
    const cells = STAGES.map((st, i) => ({ text: f.cell(i + 1, st, statuses[st].status), status: statuses[st].status }));
    const total = cells.reduce((a, c) => a + c.text.length, 0) + f.sep.length * (cells.length - 1);
    if (total <= width || f === FORMATS[FORMATS.length - 1]) return { cells, sep: f.sep };
  }
  throw new Error('unreachable: the last format is always taken');
}

/** The nine stages of DESIGN §1 and where each stands. */
export const PipelineStrip: FC<{ width: number }> = ({ width }) => {
  const stages = useConsole((s) => s.stages);
  const { cells, sep } = stripCells(stages, width);
  return (
    <Text wrap="truncate">
      {cells.map((c, i) => (
        <Text key={i}>
          {i > 0 ? sep : ''}
          <Tone color={c.status === 'pending' ? undefined : STATUS_COLOR[c.status]} bold={c.status === 'running'} dim={c.status === 'pending'}>{c.text}</Tone>
        </Text>
      ))}
    </Text>
  );
};

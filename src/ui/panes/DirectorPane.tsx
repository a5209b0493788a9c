import type { FC } from 'react';
import { Pane, Lines, type Line } from '../components/Pane.tsx';
import { proposalText } from '../state/history.ts';
import { useConsole } from '../useConsole.ts';
import { partialJsonField, who, wrap } from '../text.ts';
import type { PaneSize } from './size.ts';

const MARK: Record<string, string> = { approved: '✓', vetoed: '×', killed: '✗' };

/** ⑤ Director: the candidates offered this round, best first, each with its cost and reason. */
export const DirectorPane: FC<PaneSize> = ({ width, height }) => {
  const d = useConsole((s) => s.director);
  const status = useConsole((s) => s.stages.director.status);
  const lines: Line[] = [];
  if (status === 'running' && d.stream !== '') lines.push(...wrap(partialJsonField(d.stream, 'justification') ?? d.stream, width).slice(-(height - 1)));
  d.offers.forEach((o, i) => {
    const mark = o.decision === undefined ? '?' : MARK[o.decision] ?? o.decision;
    lines.push({ text: `${i + 1}. ${mark} ${proposalText(o)} · ${o.cost} cr`, bold: o.decision === undefined });
    lines.push({ text: `   “${o.justification}”`, dim: true });
    if (o.note !== undefined && o.note !== null) lines.push({ text: `   note: ${o.note}`, color: 'yellow' });
  });
  // The newest offer matters most: when they do not all fit, the oldest scroll off.
  const max = height - 1;
  const shown = lines.length > max ? lines.slice(lines.length - max) : lines;
  const right = d.source === null ? undefined : `rules chose, ${who(d.source)} ranked`;
  return (
    <Pane n={5} title="Director" right={right} status={status} width={width} height={height}>
      <Lines lines={shown} width={width} max={max} />
    </Pane>
  );
};

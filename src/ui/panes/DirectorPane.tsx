import type { FC } from 'react';
import { Pane, Lines, type Line } from '../components/Pane.tsx';
import { proposalText } from '../state/history.ts';
import { useConsole } from '../useConsole.ts';
import { partialJsonField, who, wrap } from '../text.ts';
import type { SegmentTable } from '../../core/research/events.ts';
import type { PaneSize } from './size.ts';
import { formatNumber } from '../../core/format/numbers.ts';

const MARK: Record<string, string> = { approved: '✓', vetoed: '×', killed: '✗' };

type SegmentLine = Exclude<Line, string>;

/**
 * The per-segment screen, one row per segment: tested symbols, trades, the edge's clustered t and its
 * Holm-adjusted p over the K segments screened; ✓ where the segment holds, ▸ where the scope is narrowed to it.
 * With `room` lines only (the header included), the segments that hold come first.
 */
export function segmentLines(seg: { table: SegmentTable; constrained: string[] | null; selectionK?: number } | null, room = Infinity): SegmentLine[] {
  if (seg === null || seg.table.rows.length === 0 || room <= 0) return [];
  const { table, constrained } = seg;
  const rows = table.rows.length + 1 <= room ? table.rows : [...table.rows].sort((a, b) => Number(b.holds) - Number(a.holds)).slice(0, room - 1);
  const chosen = seg.selectionK === undefined ? '' : ` (of ${seg.selectionK})`;
  const head = `segments · edge t, Holm K = ${table.k}${constrained === null ? '' : ` · scope ${constrained.join(', ')}${chosen}`}`;
  return [
    { text: head, bold: true },
    ...rows.map((r): SegmentLine => {
      const mark = constrained?.includes(r.segment) === true ? '▸' : r.holds ? '✓' : ' ';
      const t = r.t === null ? '   n/a' : formatNumber(r.t, 'tstat').padStart(6);
      return { text: `${mark} ${r.segment.slice(0, 16).padEnd(16)} ${String(r.symbols).padStart(3)} sym ${String(r.trades).padStart(5)} tr  t ${t}  p ${formatNumber(r.p_holm, 'pvalue')}`, ...(r.holds ? { color: 'green' } : { dim: true }) };
    }),
  ];
}

/** ⑤ Director: the candidates offered this round, best first, each with its cost and reason; below, the segment screen. */
export const DirectorPane: FC<PaneSize> = ({ width, height }) => {
  const d = useConsole((s) => s.director);
  const status = useConsole((s) => s.stages.director.status);
  const seg = useConsole((s) => s.segments);
  const lines: Line[] = [];
  if (status === 'running' && d.stream !== '') lines.push(...wrap(partialJsonField(d.stream, 'justification') ?? d.stream, width).slice(-(height - 1)));
  d.offers.forEach((o, i) => {
    const mark = o.decision === undefined ? '?' : MARK[o.decision] ?? o.decision;
    lines.push({ text: `${i + 1}. ${mark} ${proposalText(o)} · ${o.cost} cr`, bold: o.decision === undefined });
    lines.push({ text: `   “${o.justification}”`, dim: true });
    if (o.note !== undefined && o.note !== null) lines.push({ text: `   note: ${o.note}`, color: 'yellow' });
  });
  // The newest offer matters most: when they do not all fit, the oldest scroll off. The segment table
  // takes what the offers leave, at most half the pane, the segments that hold first.
  const max = height - 1;
  const table = segmentLines(seg, Math.min(Math.max(0, max - lines.length), Math.floor(max / 2)));
  const offerRoom = max - table.length;
  const shown = [...(lines.length > offerRoom ? lines.slice(lines.length - offerRoom) : lines), ...table];
  const right = d.source === null ? undefined : `rules chose, ${who(d.source)} ranked`;
  return (
    <Pane n={5} title="Director" right={right} status={status} width={width} height={height}>
      <Lines lines={shown} width={width} max={max} />
    </Pane>
  );
};

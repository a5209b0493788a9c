import type { FC } from 'react';
import { Pane, Lines, type Line } from '../components/Pane.tsx';
import { proposalText } from '../state/history.ts';
import { useConsole } from '../useConsole.ts';
import { plural, wrap } from '../text.ts';
import type { PaneSize } from './size.ts';

const FINAL_COLOR: Record<string, string> = { PROMOTED: 'green', DEAD: 'red', KILLED: 'red', FROZEN: 'yellow' };

/** ⑨ Decision: the step proposed, its cost and justification, what was decided; the verdict at the end. */
export const DecisionPane: FC<PaneSize> = ({ width, height }) => {
  const d = useConsole((s) => s.decision);
  const final = useConsole((s) => s.final);
  const error = useConsole((s) => s.error);
  const status = useConsole((s) => s.stages.decision.status);
  const lines: Line[] = [];
  if (error !== null) lines.push(...wrap(`error: ${error}`, width).map((t) => ({ text: t, color: 'red' })));
  if (final !== null) {
    lines.push(...wrap(`${final.status}: ${final.reason}`, width).map((t, i) => ({ text: t, color: FINAL_COLOR[final.status], bold: i === 0 })));
    if (final.credits_spent !== undefined) lines.push(`spent ${plural(final.credits_spent, 'credit')} · ${plural(final.trials ?? 0, 'trial')} · ${plural(final.runs ?? 0, 'run')}${final.library_entry === undefined ? '' : ` · library ${final.library_entry}`}`);
  } else if (d.proposal !== null) {
    const p = d.proposal;
    const verdict = d.decision === null ? 'waiting for your decision'
      : `${d.decision} by ${d.auto ? 'standing approval' : d.by ?? '?'}${d.note === null ? '' : `: ${d.note}`}`;
    lines.push({ text: `${proposalText(p)} · ${p.cost} credits · ${verdict}`, bold: true });
    lines.push(...wrap(`why: ${p.justification}`, width));
    lines.push({ text: `gain: ${p.expected_information_gain}`, dim: true });
  }
  return (
    <Pane n={9} title="Decision" status={status} width={width} height={height}>
      <Lines lines={lines} width={width} max={height - 1} />
    </Pane>
  );
};

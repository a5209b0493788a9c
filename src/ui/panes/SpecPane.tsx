import type { FC } from 'react';
import { RULES, riskLevelText, ruleText } from '../../core/report/spec-text.ts';
import { Pane, Lines, type Line } from '../components/Pane.tsx';
import { useConsole } from '../useConsole.ts';
import { short } from '../text.ts';
import type { PaneSize } from './size.ts';

/** ③ Spec: the hashes, the rules in words, and the diff when a new version appears. */
export const SpecPane: FC<PaneSize> = ({ width, height }) => {
  const view = useConsole((s) => s.spec);
  const hashes = useConsole((s) => s.specHashes);
  const changes = useConsole((s) => s.specChanges);
  const status = useConsole((s) => s.stages.spec.status);
  const lines: Line[] = [];
  if (hashes !== null) lines.push({ text: `id ${short(hashes.id)}  logic ${short(hashes.logic, 6)}  params ${short(hashes.params, 6)}`, dim: true });
  if (view !== null && view.version > 1) {
    const paramsOnly = changes.every((c) => c.path.startsWith('params.'));
    lines.push({ text: `v${view.version} ← v${view.version - 1}: ${changes.length} change(s)${paramsOnly ? ', params only' : ''}`, color: 'cyan' });
    for (const c of changes) lines.push(`  ${c.path}: ${c.from} → ${c.to}`);
  }
  if (view !== null) {
    const sp = view.spec;
    for (const r of RULES) {
      const text = ruleText(sp, r);
      if (text !== null) lines.push(text);
    }
    const risk = sp.risk;
    lines.push({ text: `stop ${riskLevelText(risk, 'stop') ?? '—%'} · target ${riskLevelText(risk, 'target') ?? '—%'} · fees ${sp.execution.fees_bps} bp · slippage ${sp.execution.slippage_bps} bp`, dim: true });
  }
  const title = hashes === null ? 'Spec' : `Spec ${hashes.name}${view === null ? '' : ` v${view.version}`}`;
  return (
    <Pane n={3} title={title} status={status} width={width} height={height}>
      <Lines lines={lines} width={width} max={height - 1} />
    </Pane>
  );
};

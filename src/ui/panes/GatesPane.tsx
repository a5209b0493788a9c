import type { FC } from 'react';
import type { Check, GateVerdict } from '../../core/research/gate.ts';
import { Pane, Lines, type Line } from '../components/Pane.tsx';
import { useConsole } from '../useConsole.ts';
import { num } from '../text.ts';
import type { PaneSize } from './size.ts';

/** `✓ trades_per_year 143 ≥ 100`, `✗ trades_per_year 2.34 < 100`: one measured value against its threshold. */
export function checkText(c: Check): string {
  const op = c.pass ? (c.op === '>=' ? '≥' : '≤') : c.op === '>=' ? '<' : '>';
  return `${c.pass ? '✓' : '✗'} ${c.name} ${num(c.value)} ${op} ${num(c.threshold)}`;
}

/** A failing gate first, with each check on its own line; then passing gates, newest first, one line each. */
export function gateLines(verdicts: readonly GateVerdict[]): Line[] {
  const failed = verdicts.filter((v) => !v.pass);
  const lines: Line[] = [];
  for (const v of failed) {
    lines.push({ text: `✗ ${v.gate} — DEAD`, color: 'red', bold: true });
    for (const c of [...v.checks].sort((a, b) => Number(a.pass) - Number(b.pass))) lines.push({ text: `  ${checkText(c)}${c.note !== undefined && !c.pass ? ` (${c.note})` : ''}`, color: c.pass ? undefined : 'red' });
  }
  for (const v of verdicts.filter((x) => x.pass).reverse()) lines.push({ text: `✓ ${v.gate}: ${v.checks.map((c) => checkText(c).slice(2)).join(' · ')}`, color: 'green' });
  return lines;
}

/** ⑦ Gates: every check of the latest judging, measured value vs threshold. */
export const GatesPane: FC<PaneSize> = ({ width, height }) => {
  const gates = useConsole((s) => s.gates);
  const status = useConsole((s) => s.stages.gates.status);
  const passed = gates.filter((g) => g.pass).length;
  return (
    <Pane n={7} title="Gates" right={gates.length === 0 ? undefined : `${passed}/${gates.length} passed`} status={status} width={width} height={height}>
      <Lines lines={gateLines(gates)} width={width} max={height - 1} />
    </Pane>
  );
};

import type { FC } from 'react';
import { aboveZero, type Check, type GateVerdict } from '../../core/research/gate.ts';
import { Pane, Lines, type Line } from '../components/Pane.tsx';
import { useConsole } from '../useConsole.ts';
import { num } from '../text.ts';
import type { PaneSize } from './size.ts';

const MARK = { PASS: '✓', FAIL: '✗', INSUFFICIENT: '◌' } as const;

/**
 * `✓ edge_t 2.41 ≥ 2`, `✗ edge_t -0.31 < 2`, `◌ edge_t 1.2 (≥ 2)`: one measured value against its
 * threshold; an INSUFFICIENT check shows the threshold in brackets, since it was not judged against it.
 */
export function checkText(c: Check): string {
  if (aboveZero(c)) {
    if (c.verdict === 'INSUFFICIENT') return `${MARK.INSUFFICIENT} ${c.name} ${num(c.value)} (> 0)`;
    return `${MARK[c.verdict]} ${c.name} ${num(c.value)} ${c.pass ? '>' : '≤'} 0`;
  }
  if (c.verdict === 'INSUFFICIENT') return `${MARK.INSUFFICIENT} ${c.name} ${num(c.value)} (${c.op === '>=' ? '≥' : '≤'} ${num(c.threshold)})`;
  const op = c.pass ? (c.op === '>=' ? '≥' : '≤') : c.op === '>=' ? '<' : '>';
  return `${MARK[c.verdict]} ${c.name} ${num(c.value)} ${op} ${num(c.threshold)}`;
}

const RANK = { FAIL: 0, INSUFFICIENT: 1, PASS: 2 } as const;

/**
 * A failed gate first (DEAD), then the gates still INSUFFICIENT, each with its unjudged or failed checks
 * and their notes (what is missing); then passing gates, newest first, one line each with the sample.
 */
export function gateLines(verdicts: readonly GateVerdict[]): Line[] {
  const lines: Line[] = [];
  for (const v of verdicts.filter((x) => x.verdict !== 'PASS').sort((a, b) => RANK[a.verdict] - RANK[b.verdict])) {
    const fail = v.verdict === 'FAIL';
    const sample = Object.entries(v.sample).map(([k, n]) => `${n} ${k.replace(/_/g, ' ')}`).join(', ');
    lines.push({ text: `${MARK[v.verdict]} ${v.gate} — ${fail ? 'DEAD' : 'INSUFFICIENT'}${sample === '' ? '' : ` (${sample})`}`, color: fail ? 'red' : 'yellow', bold: true });
    for (const c of [...v.checks].sort((a, b) => RANK[a.verdict] - RANK[b.verdict])) {
      lines.push({ text: `  ${checkText(c)}${c.note !== undefined && !c.pass ? ` (${c.note})` : ''}`, color: c.verdict === 'FAIL' ? 'red' : c.verdict === 'INSUFFICIENT' ? 'yellow' : undefined });
    }
  }
  for (const v of verdicts.filter((x) => x.pass).reverse()) lines.push({ text: `✓ ${v.gate}: ${v.checks.map((c) => checkText(c).slice(2)).join(' · ')}`, color: 'green' });
  return lines;
}

/** ⑦ Gates: every check of the latest judging, measured value vs threshold. */
export const GatesPane: FC<PaneSize> = ({ width, height }) => {
  const gates = useConsole((s) => s.gates);
  const status = useConsole((s) => s.stages.gates.status);
  const passed = gates.filter((g) => g.pass).length;
  const open = gates.filter((g) => g.verdict === 'INSUFFICIENT').length;
  const version = gates[0]?.config_version;
  return (
    <Pane n={7} title="Gates" right={gates.length === 0 ? undefined : `${passed}/${gates.length} passed${open > 0 ? `, ${open} insufficient` : ''} · ${version}`} status={status} width={width} height={height}>
      <Lines lines={gateLines(gates)} width={width} max={height - 1} />
    </Pane>
  );
};

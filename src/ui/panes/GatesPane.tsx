import type { FC } from 'react';
import { aboveZero, type Check, type GateVerdict } from '../../core/research/gate.ts';
import { Pane, Lines, type Line } from '../components/Pane.tsx';
import { useConsole } from '../useConsole.ts';
import type { ConfirmationLeg, Registration } from '../../core/research/events.ts';
import type { PaneSize } from './size.ts';
import { formatNumber } from '../../core/format/numbers.ts';

const MARK = { PASS: '✓', FAIL: '✗', INSUFFICIENT: '◌' } as const;

/**
 * `✓ edge_t 2.41 ≥ 2`, `✗ edge_t -0.31 < 2`, `◌ edge_t 1.2 (≥ 2)`: one measured value against its
 * threshold; an INSUFFICIENT check shows the threshold in brackets, since it was not judged against it.
 */
export function checkText(c: Check): string {
  if (aboveZero(c)) {
    if (c.verdict === 'INSUFFICIENT') return `${MARK.INSUFFICIENT} ${c.name} ${formatNumber(c.value, 'value')} (> 0)`;
    return `${MARK[c.verdict]} ${c.name} ${formatNumber(c.value, 'value')} ${c.pass ? '>' : '≤'} 0`;
  }
  if (c.verdict === 'INSUFFICIENT') return `${MARK.INSUFFICIENT} ${c.name} ${formatNumber(c.value, 'value')} (${c.op === '>=' ? '≥' : '≤'} ${formatNumber(c.threshold, 'value')})`;
  const op = c.pass ? (c.op === '>=' ? '≥' : '≤') : c.op === '>=' ? '<' : '>';
  return `${MARK[c.verdict]} ${c.name} ${formatNumber(c.value, 'value')} ${op} ${formatNumber(c.threshold, 'value')}`;
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

/** The registration (fixed before the look) and each confirmation leg as it comes in. */
export function confirmationLines(c: { registration: Registration | null; legs: readonly ConfirmationLeg[] }): Line[] {
  const r = c.registration;
  if (r === null) return [];
  const lines: Line[] = [
    { text: `registered #${r.seq} · ${r.interval} · t ≥ ${formatNumber(r.min_t, 'value')} (α ${formatNumber(r.alpha, 'value')}) · ${r.segments.join(', ')}`, bold: true },
    { text: `  fresh leg: ${r.fresh.length > 0 ? `${r.fresh.length} untested symbols` : `skipped (${r.fresh_skipped ?? 'no fresh symbols'})`}`, dim: true },
    { text: `  holdout leg: ${r.holdout_symbols.length} symbols from the cut date`, dim: true },
  ];
  for (const leg of c.legs) {
    const name = leg.leg === 'fresh' ? 'fresh' : 'holdout';
    const mean = leg.mean_excess === null ? 'n/a' : formatNumber(leg.mean_excess, 'percent');
    lines.push({ text: `  ${name}: ${leg.symbols} series, ${leg.trades} tr, excess ${mean}${leg.from === null ? '' : ` from ${leg.from.slice(0, 10)}`}`, ...(leg.mean_excess !== null && leg.mean_excess < 0 ? { color: 'red' as const } : {}) });
  }
  return lines;
}

/** ⑦ Gates: every check of the latest judging, measured value vs threshold; then the confirmation, once registered. */
export const GatesPane: FC<PaneSize> = ({ width, height }) => {
  const gates = useConsole((s) => s.gates);
  const status = useConsole((s) => s.stages.gates.status);
  const passed = gates.filter((g) => g.pass).length;
  const open = gates.filter((g) => g.verdict === 'INSUFFICIENT').length;
  const version = gates[0]?.config_version;
  const confirmation = confirmationLines(useConsole((s) => s.confirmation));
  return (
    <Pane n={7} title="Gates" right={gates.length === 0 ? undefined : `${passed}/${gates.length} passed${open > 0 ? `, ${open} insufficient` : ''} · ${version}`} status={status} width={width} height={height}>
      <Lines lines={[...confirmation, ...gateLines(gates)]} width={width} max={height - 1} />
    </Pane>
  );
};

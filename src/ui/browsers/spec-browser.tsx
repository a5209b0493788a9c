import type { FC } from 'react';
import { RULES, RULE_LABEL, paramsText, ruleText } from '../../core/report/spec-text.ts';
import type { DiffVerdict } from '../../core/spec/diff.ts';
import { colorAllowed } from '../components/equity-chart.tsx';
import { short } from '../text.ts';
import { versionDiff, type SpecRow } from './data.ts';
import { Lines, columns, line, mark, type Line } from './lines.tsx';
import { listWindow } from './list-window.ts';

export interface SpecBrowserProps {
  /** Every stored version, from `specRows(store.data)`: families in order, versions as a tree. */
  rows: readonly SpecRow[];
  /** Index into `rows` of the highlighted version (clamped). */
  cursor: number;
  /** Show the highlighted version's diff against its parent instead of its detail. */
  showDiff?: boolean;
  width: number;
  /** Lines available; the browser never draws more. */
  height: number;
  /** Defaults to honouring NO_COLOR. */
  color?: boolean;
}

const VERDICT: Record<DiffVerdict, string> = {
  identical: 'identical',
  labels_only: 'label-only change (name, idea or parent), same logic and params',
  params_only: 'param-only change, same logic_hash',
  logic: 'logic change: a different strategy',
};

/** Spec versions grouped by strategy (logic_hash), with the highlighted version's detail or diff below. */
export const SpecBrowser: FC<SpecBrowserProps> = ({ rows, cursor, showDiff = false, width, height, color }) => {
  const h = Math.max(1, Math.floor(height));
  const families = rows.filter((r) => r.familyStart).length;
  const out: Line[] = [line(`Specs · ${families} strateg${families === 1 ? 'y' : 'ies'} · ${rows.length} version${rows.length === 1 ? '' : 's'}${showDiff ? ' · diff vs parent' : ''}`, 'title')];
  if (rows.length === 0) {
    out.push(line('no specs in this store yet: research an idea first', 'dim'));
    return <Lines lines={out} width={width} height={h} color={color ?? colorAllowed()} />;
  }
  const listRows = Math.min(rows.length, Math.max(1, Math.floor((h - 1) * 0.45)));
  const win = listWindow(cursor, rows.length, listRows);
  for (let i = win.start; i < win.end; i++) {
    const r = rows[i]!;
    const tree = `${'  '.repeat(Math.max(0, r.depth - 1))}${r.depth > 0 ? '└ ' : ''}${short(r.id, 8)}`;
    const text = mark(i === win.cursor) + columns([[r.familyStart ? `${r.name} (${r.familySize})` : '', 22], [tree, 18], [paramsText(r.params), 40]]);
    out.push(line(text, i === win.cursor ? 'selected' : 'plain'));
  }
  const sel = rows[win.cursor]!;
  out.push(...(showDiff ? diffLines(rows, sel) : detailLines(sel)));
  return <Lines lines={out} width={width} height={h} color={color ?? colorAllowed()} />;
};

function detailLines(r: SpecRow): Line[] {
  const s = r.spec;
  const params = Object.entries(s.params).map(([k, p]) => `${k}=${p.value} [${p.min}…${p.max} step ${p.step}]`);
  const out: Line[] = [
    line(`── ${r.name} ${short(r.id, 12)} · parent ${r.parent === null ? 'none' : short(r.parent, 12)} · ${r.created_at.replace('T', ' ').slice(0, 19)}`, 'title'),
    line(`logic_hash ${short(r.logic_hash, 12)} · ${s.meta.style}, ${s.meta.holding_period} holding, ${s.meta.market_type}`),
    line(`params ${params.length === 0 ? '(none)' : params.join('  ')}`),
  ];
  for (const rule of RULES) {
    const t = ruleText(s, rule);
    if (t !== null) out.push(line(`${RULE_LABEL[rule]}: ${t}`));
  }
  out.push(line(`idea: ${s.idea.replace(/\s+/g, ' ')}`, 'dim'));
  return out;
}

function diffLines(rows: readonly SpecRow[], r: SpecRow): Line[] {
  const d = versionDiff(rows, r.id);
  if (d === null) return [line(`── ${short(r.id, 12)} has no stored parent: it is the first version, nothing to diff`, 'title')];
  const show = (v: unknown): string => JSON.stringify(v) ?? 'undefined';
  const out: Line[] = [line(`── ${short(d.parent, 12)} → ${short(r.id, 12)}: ${VERDICT[d.diff.verdict]}`, d.diff.logic_changed ? 'bad' : 'title')];
  for (const c of d.diff.changes) {
    if (c.kind === 'changed') out.push(line(`  ${c.path}: ${show(c.from)} → ${show(c.to)}`));
    else if (c.kind === 'added') out.push(line(`+ ${c.path}: ${show(c.to)}`, 'good'));
    else out.push(line(`- ${c.path}: ${show(c.from)}`, 'bad'));
  }
  return out;
}

import type { FC } from 'react';
import { RULES, RULE_LABEL, paramValues, paramsText, ruleText } from '../../core/report/spec-text.ts';
import { colorAllowed } from '../components/equity-chart.tsx';
import { short } from '../text.ts';
import type { LibraryRow } from './data.ts';
import { Lines, columns, line, mark, type Line } from './lines.tsx';
import { listWindow } from './list-window.ts';

export interface LibraryBrowserProps {
  /** The candidate library, from `libraryRows(store.data)`. */
  rows: readonly LibraryRow[];
  /** Index into `rows` of the highlighted candidate (clamped). */
  cursor: number;
  width: number;
  /** Lines available; the browser never draws more. */
  height: number;
  /** Defaults to honouring NO_COLOR. */
  color?: boolean;
}

const when = (iso: string | null): string => (iso === null ? '—' : iso.replace('T', ' ').slice(0, 16));

/** Promoted candidates: what they proved stable across, their spec and when the promotion was written. */
export const LibraryBrowser: FC<LibraryBrowserProps> = ({ rows, cursor, width, height, color }) => {
  const h = Math.max(1, Math.floor(height));
  const out: Line[] = [line(`Candidate library · ${rows.length} promoted`, 'title')];
  if (rows.length === 0) {
    out.push(line('nothing promoted yet: a strategy enters the library when every gate and the sealed holdout pass', 'dim'));
    return <Lines lines={out} width={width} height={h} color={color ?? colorAllowed()} />;
  }
  const listRows = Math.min(rows.length, Math.max(1, Math.floor((h - 1) / 2)));
  const win = listWindow(cursor, rows.length, listRows);
  for (let i = win.start; i < win.end; i++) {
    const r = rows[i]!;
    const text = mark(i === win.cursor) + columns([[r.name, 18], [r.spec_id.slice(0, 8), 8], [when(r.promoted_at ?? r.added_at), 16], [r.stable_across ?? '—', 30]]);
    out.push(line(text, i === win.cursor ? 'selected' : 'plain'));
  }
  const r = rows[win.cursor]!;
  out.push(
    line(`── ${r.name} · ${r.id} · session ${r.session}`, 'title'),
    line(`spec ${short(r.spec_id, 16)} · promoted ${when(r.promoted_at)}${r.promotion_seq === null ? '' : ` (ledger #${r.promotion_seq})`} · ${r.promotion_id ?? 'no promotion record'}`),
    line(`stable across ${r.stable_across ?? '—'}`, 'good'),
    line(`series ${r.keys.length === 0 ? '—' : r.keys.join(' ')}`),
  );
  if (r.spec !== null) {
    out.push(line(`params ${paramsText(paramValues(r.spec))}`));
    for (const rule of RULES) {
      const t = ruleText(r.spec, rule);
      if (t !== null) out.push(line(`${RULE_LABEL[rule]}: ${t}`));
    }
  }
  return <Lines lines={out} width={width} height={h} color={color ?? colorAllowed()} />;
};

import type { FC } from 'react';
import type { LedgerEntry } from '../../core/ledger/schema.ts';
import { colorAllowed } from '../components/equity-chart.tsx';
import { clip, short } from '../text.ts';
import type { LedgerCheck } from './data.ts';
import { Lines, columns, line, mark, type Line } from './lines.tsx';
import { listWindow } from './list-window.ts';

export interface LedgerBrowserProps {
  /** The ledger in order, from `ledgerEntries(store.data)`. */
  entries: readonly LedgerEntry[];
  /** Index into `entries` of the highlighted entry (clamped). */
  cursor: number;
  /** The result of `verifyStoreLedger`, or null before the user asked for it. */
  verify: LedgerCheck | null;
  width: number;
  /** Lines available; the browser never draws more. */
  height: number;
  /** Defaults to honouring NO_COLOR. */
  color?: boolean;
}

/** The ledger with its verification line; the first bad entry is marked ✗ and the highlighted one detailed below. */
export const LedgerBrowser: FC<LedgerBrowserProps> = ({ entries, cursor, verify, width, height, color }) => {
  const h = Math.max(1, Math.floor(height));
  const out: Line[] = [line(`Ledger · ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}`, 'title'), verifyLine(verify)];
  if (entries.length === 0) {
    out.push(line('the ledger is empty', 'dim'));
    return <Lines lines={out} width={width} height={h} color={color ?? colorAllowed()} />;
  }
  const detailRows = 3;
  const listRows = Math.max(1, h - out.length - detailRows);
  const win = listWindow(cursor, entries.length, listRows);
  const bad = verify?.first_bad?.seq;
  for (let i = win.start; i < win.end; i++) {
    const e = entries[i]!;
    const delta = e.credit - e.cost;
    const text = mark(i === win.cursor) + columns([
      [`${e.seq === bad ? '✗' : ''}#${e.seq}`, 6], [e.ts.slice(11, 19), 8], [e.session, 8], [e.kind, 6],
      [e.action, 18], [delta > 0 ? `+${delta}` : delta < 0 ? `−${-delta}` : '0', 5], [String(e.balance), 5], [e.hash.slice(0, 8), 8],
    ]);
    out.push(line(text, i === win.cursor ? 'selected' : e.seq === bad ? 'bad' : 'plain'));
  }
  const e = entries[win.cursor]!;
  out.push(
    line(`── #${e.seq} ${e.kind} ${e.action} · hash ${short(e.hash, 16)} · prev ${short(e.prev, 16)}`, 'title'),
    line([e.proposal_id === undefined ? '' : `proposal ${e.proposal_id}`, e.approval === undefined ? '' : `approved by ${e.approval.by}`, e.spec_id === undefined ? '' : `spec ${short(e.spec_id, 12)}`].filter((x) => x !== '').join(' · ') || 'no proposal, approval or spec'),
    line(clip(`payload ${JSON.stringify(e.payload)}`, 400), 'dim'),
  );
  return <Lines lines={out} width={width} height={h} color={color ?? colorAllowed()} />;
};

function verifyLine(v: LedgerCheck | null): Line {
  if (v === null) return line('not verified yet (v verifies the chain and the balances)', 'dim');
  if (v.first_bad !== null) return line(`✗ verification FAILED at entry #${v.first_bad.seq} (${v.first_bad.code}): ${v.first_bad.reason}`, 'bad');
  if (v.head !== null) return line(`✗ verification FAILED: ${v.head}`, 'bad');
  return line(`✓ verified: ${v.entries} entries, hash chain intact, balances add up`, 'good');
}

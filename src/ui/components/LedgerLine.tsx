import type { FC } from 'react';
import type { LedgerEntry } from '../../core/ledger/schema.ts';
import { useConsole } from '../useConsole.ts';
import { Segments } from './Segments.tsx';

/** `#4 −20 add_symbol → 970`: one ledger entry, short. */
export function entryText(e: LedgerEntry): string {
  if (e.kind === 'spend') return `#${e.seq} −${e.cost} ${e.action} → ${e.balance}`;
  if (e.kind === 'grant' || e.kind === 'reset') return `#${e.seq} +${e.credit} ${e.kind} → ${e.balance}`;
  return `#${e.seq} ${e.action}`;
}

/** The newest ledger entries of the session, newest first, as many as fit on one line. */
export const LedgerLine: FC<{ width: number }> = ({ width }) => {
  const entries = useConsole((s) => s.ledger);
  const text = entries.length === 0 ? 'nothing yet' : [...entries].reverse().filter((e) => e.kind !== 'trial').map(entryText).join(' · ');
  return <Segments parts={[{ text: 'ledger ', bold: true }, { text, dim: entries.length === 0 }]} width={width} />;
};

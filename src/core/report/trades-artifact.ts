import { z } from 'zod';
import type { TradeColumns } from '../research/run.ts';

/**
 * A run's closed trades as stored beside its record (`artifacts.trades`): the columns of
 * TradeColumns as JSON arrays, times in epoch ms, `side` 1 long / −1 short, `ret` the trade's net
 * return as a fraction. Columnar, so a run with thousands of trades stays one compact file.
 */
export const TradesArtifactSchema = z.strictObject({
  count: z.number().int().nonnegative(),
  side: z.array(z.number().int()),
  entry_time: z.array(z.number()),
  exit_time: z.array(z.number()),
  /** null where the engine produced a non-finite return (JSON has no NaN). */
  ret: z.array(z.number().nullable()),
}).superRefine((t, ctx) => {
  for (const col of ['side', 'entry_time', 'exit_time', 'ret'] as const) {
    if (t[col].length !== t.count) ctx.addIssue({ code: 'custom', path: [col], message: `has ${t[col].length} values, count is ${t.count}` });
  }
});
export type TradesArtifact = z.infer<typeof TradesArtifactSchema>;

export function tradesToArtifact(t: TradeColumns): TradesArtifact {
  const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);
  return {
    count: t.count,
    side: Array.from(t.side.subarray(0, t.count)),
    entry_time: Array.from(t.entryTime.subarray(0, t.count)),
    exit_time: Array.from(t.exitTime.subarray(0, t.count)),
    ret: Array.from(t.ret.subarray(0, t.count), finite),
  };
}

/** One trade as a row, for lists. */
export interface TradeRow {
  side: 'long' | 'short';
  entryTime: number;
  exitTime: number;
  ret: number | null;
}

export function tradeRows(a: TradesArtifact): TradeRow[] {
  const rows: TradeRow[] = [];
  for (let k = 0; k < a.count; k++) {
    rows.push({ side: a.side[k]! > 0 ? 'long' : 'short', entryTime: a.entry_time[k]!, exitTime: a.exit_time[k]!, ret: a.ret[k]! });
  }
  return rows;
}

import { failureReason, insufficiencyReason, type GateVerdict } from '../research/gate.ts';
import type { SectorAggregate } from './aggregates.ts';
import type { SegmentTable } from './segment-table.ts';
import { formatNumber } from '../format/numbers.ts';

/**
 * Short code-computed lines for the Director's prompt and the console (DirectorInput.facts): what
 * was measured, never a recommendation the code did not also encode in its candidates.
 */
export function sectorFacts(aggregates: readonly SectorAggregate[]): string[] {
  const lines = aggregates.map((a) =>
    `${a.sector}: ${a.symbols.length} symbol${a.symbols.length === 1 ? '' : 's'}, ${a.positive_symbols} of ${a.symbols.length} with a positive average trade, ` +
    `${a.trades} trades, avg trade ${a.avg_trade_return === null ? 'n/a' : formatNumber(a.avg_trade_return, 'percent')}, pooled Sharpe ${a.pooled_sharpe === null ? 'n/a' : formatNumber(a.pooled_sharpe, 'sharpe')}`);
  return lines;
}

/** The per-segment screen in one line per segment, Holm-adjusted over the K segments screened. */
export function segmentFacts(table: SegmentTable): string[] {
  if (table.rows.length === 0) return [];
  return [
    `segment screen: edge t per segment, Holm over K = ${table.k} segment${table.k === 1 ? '' : 's'} (familywise ${formatNumber(table.alpha, 'percent')})`,
    ...table.rows.map((r) => `${r.segment}: ${r.symbols} symbol${r.symbols === 1 ? '' : 's'}, ${r.trades} trades in ${r.clusters} clusters, mean excess ${r.mean_excess === null ? 'n/a' : formatNumber(r.mean_excess, 'percent')}, t ${r.t === null ? 'n/a' : formatNumber(r.t, 'tstat')}, Holm p ${formatNumber(r.p_holm, 'pvalue')} — ${r.holds ? 'holds' : 'does not hold'}`),
  ];
}

/** "viability PASS" or the DEAD reason, per gate that ran. */
export function gateFacts(verdicts: Iterable<GateVerdict>): string[] {
  return [...verdicts].map((v) => (v.verdict === 'PASS' ? `${v.gate} PASS` : v.verdict === 'FAIL' ? `${v.gate} FAIL — ${failureReason(v)}` : `${v.gate} INSUFFICIENT — ${insufficiencyReason([v])}`));
}

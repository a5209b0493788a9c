import { failureReason, insufficiencyReason, type GateVerdict } from '../research/gate.ts';
import { expansionAdvice, type SectorAggregate } from './aggregates.ts';
import { pct } from '../text.ts';

/**
 * Short code-computed lines for the Director's prompt and the console (DirectorInput.facts): what
 * was measured, never a recommendation the code did not also encode in its candidates.
 */
export function sectorFacts(aggregates: readonly SectorAggregate[]): string[] {
  const lines = aggregates.map((a) =>
    `${a.sector}: ${a.symbols.length} symbol${a.symbols.length === 1 ? '' : 's'}, ${a.positive_symbols} of ${a.symbols.length} with a positive average trade, ` +
    `${a.trades} trades, avg trade ${a.avg_trade_return === null ? 'n/a' : pct(a.avg_trade_return)}, pooled Sharpe ${a.pooled_sharpe === null ? 'n/a' : a.pooled_sharpe.toFixed(2)}`);
  const advice = expansionAdvice(aggregates);
  if (advice.expand !== null) lines.push(`sector that holds: ${advice.expand.sector} (${advice.expand.positive} of ${advice.expand.symbols} symbols positive)`);
  if (advice.constrain !== null) lines.push(`no other tested sector has a positive average trade: the edge is ${advice.constrain.sector}'s`);
  return lines;
}

/** "viability PASS" or the DEAD reason, per gate that ran. */
export function gateFacts(verdicts: Iterable<GateVerdict>): string[] {
  return [...verdicts].map((v) => (v.verdict === 'PASS' ? `${v.gate} PASS` : v.verdict === 'FAIL' ? `${v.gate} FAIL — ${failureReason(v)}` : `${v.gate} INSUFFICIENT — ${insufficiencyReason([v])}`));
}

import type { ResearchEvent } from '../core/research/events.ts';
import { seriesKeyText } from '../core/research/run.ts';
import { aboveZero, failureReason, insufficiencyReason } from '../core/research/gate.ts';
import { plural } from '../core/text.ts';
import { formatNumber } from '../core/format/numbers.ts';

/** One human line per event (or none): what `gauntlet research` prints as it goes. */
export function eventLine(e: ResearchEvent): string | null {
  switch (e.event) {
    case 'session': return `session ${e.session}  seed ${e.seed}  budget ${e.budget} credits  store ${e.store}`;
    case 'stage': return e.status === 'running' ? null : `  ${e.status === 'done' ? '✓' : '✗'} ${e.stage}${e.detail !== undefined ? `  ${e.detail}` : ''}`;
    case 'translation': return `  spec ${e.name} ${e.spec_id.slice(0, 12)} (${e.source}): ${e.summary}${e.warnings.map((w) => `\n    warning: ${w}`).join('')}`;
    case 'compiled': {
      const c = e.report.complexity;
      return `  compiled: ${c.indicators} indicators, ${c.longConditions}/${c.shortConditions} conditions long/short, ${c.optimizableParams} optimisable params, warm-up ${e.report.warmup} bars`;
    }
    case 'proposal': return `? ${e.proposal.action} ${describeDetail(e.proposal.detail)}  ${e.proposal.cost} cr  — ${e.proposal.justification}`;
    case 'decision': return `  ${e.decision === 'approved' ? '→ approved' : e.decision === 'vetoed' ? '× vetoed' : '✗ killed'} (${e.by})${e.note !== null ? `: ${e.note}` : ''}`;
    case 'spend': return `  ledger #${e.seq} −${e.cost} ${e.action}, ${e.balance} credits left`;
    case 'progress': return null;
    case 'run': return `    ${seriesKeyText(e.key)} ${e.segment}: ${e.metrics.trades} trades, avg ${formatNumber(e.metrics.avg_trade_return, 'percent')}${e.gross === undefined ? '' : ` (gross ${formatNumber(e.gross.avg_trade_return, 'percent')})`}, Sharpe ${formatNumber(e.metrics.sharpe, 'sharpe')}${e.gross === undefined ? '' : ` (gross ${formatNumber(e.gross.sharpe, 'sharpe')})`}, max DD ${formatNumber(e.metrics.max_drawdown, 'percent')}`;
    case 'trials': return `  ${e.count} trials (family total ${e.total_for_family}); best ${JSON.stringify(e.best)}`;
    case 'spec_version': return `  new spec version ${e.spec_id.slice(0, 12)} (parent ${e.parent.slice(0, 12)}) params ${JSON.stringify(e.params)}`;
    case 'gate': return e.verdict.verdict === 'PASS'
      ? `  ✓ gate ${e.verdict.gate}: ${e.verdict.checks.map((c) => `${c.name} ${c.value === null ? '—' : formatNumber(c.value, 'value')} ${aboveZero(c) ? '> 0' : `${c.op} ${formatNumber(c.threshold, 'value')}`}`).join(', ')}`
      : e.verdict.verdict === 'FAIL' ? `  ✗ gate ${failureReason(e.verdict)}` : `  ◌ gate ${insufficiencyReason([e.verdict]).replace('insufficient evidence: ', '')} — INSUFFICIENT`;
    case 'segments': return e.table.rows.length === 0 ? null
      : `  segments (edge t, Holm over K = ${e.table.k}${e.constrained === null ? '' : `; scope narrowed to ${e.constrained.join(', ')}${e.selection_k === undefined ? '' : `, chosen among ${e.selection_k} segments (multiple-testing N × ${e.selection_k})`}`}): ${e.table.rows.map((r) => `${r.segment} ${r.t === null ? 't n/a' : `t ${formatNumber(r.t, 'tstat')}`} p ${formatNumber(r.p_holm, 'pvalue')} (${r.trades} trades)${r.holds ? ' ✓' : ''}`).join(' · ')}`;
    case 'registration': {
      const r = e.registration;
      return `  registered (ledger #${r.seq}): spec ${r.spec_id.slice(0, 12)} at ${r.interval}, scope ${r.segments.join(', ')}; screened ${r.screened.length} symbols; fresh ${r.fresh.length > 0 ? r.fresh.join(' ') : `none (${r.fresh_skipped ?? 'skipped'})`}; holdout ${r.holdout_symbols.length} symbols; passes at t ≥ ${formatNumber(r.min_t, 'value')} (one-sided α ${formatNumber(r.alpha, 'value')})`;
    }
    case 'confirmation_leg': return `  confirmation ${e.leg.leg === 'fresh' ? 'fresh-symbol leg' : 'holdout leg'}: ${e.leg.symbols} series, ${e.leg.trades} trades, mean excess ${e.leg.mean_excess === null ? 'n/a' : formatNumber(e.leg.mean_excess, 'percent')}${e.leg.from === null ? '' : ` from ${e.leg.from.slice(0, 10)}`}`;
    case 'review': return `  reviewer (${e.source}, intent ${e.intent_match}): ${e.diagnosis}${e.unsupported_numbers.length > 0 ? `\n    flagged numbers not in its input: ${e.unsupported_numbers.join(', ')}` : ''}`;
    case 'note': return `  · ${e.text}`;
    case 'status': return `${e.status}: ${e.reason}`;
    case 'suspended': return `SUSPENDED: ${e.reason}`;
    case 'summary': return `spent ${plural(e.credits_spent, 'credit')} · ${plural(e.trials, 'trial')} · ${plural(e.runs, 'run')}${e.library_entry !== undefined ? ` · library ${e.library_entry}` : ''}`;
  }
}

function describeDetail(d: Record<string, unknown>): string {
  const parts: string[] = [];
  if (Array.isArray(d.symbols)) parts.push((d.symbols as string[]).join(' '));
  if (typeof d.interval === 'string') parts.push(d.interval);
  if (Array.isArray(d.segments) && Array.isArray(d.keep)) parts.push(`to ${(d.segments as string[]).join(', ')}`);
  if (Array.isArray(d.keep)) parts.push(`keep ${(d.keep as string[]).join(' ')}`);
  if (Array.isArray(d.fresh)) parts.push(`+ ${(d.fresh as string[]).length} fresh`);
  return parts.join(' ');
}

/** NDJSON: typed arrays and Maps never appear in events, so plain JSON is exact. */
export function eventJson(e: ResearchEvent): string {
  return JSON.stringify(e);
}

import type { OfferedProposal } from '../../core/research/events.ts';
import { failureReason, type GateVerdict } from '../../core/research/gate.ts';
import type { HistoryItem, Iteration } from './types.ts';

/**
 * What a finished iteration leaves in the scrollback (`<Static>`): one proposal, its decision, and
 * what the step produced. Lines are plain text; the History component cuts them to the terminal.
 */

/** A stratified screen adds a symbol per segment: past six names, the first four and the count, so the cost stays in view. */
function symbolList(symbols: readonly string[]): string {
  return symbols.length <= 6 ? symbols.join(' ') : `${symbols.slice(0, 4).join(' ')} … (${symbols.length} symbols)`;
}

export function proposalText(p: Pick<OfferedProposal, 'action' | 'detail'>): string {
  const d = p.detail;
  const parts: string[] = [p.action];
  if (Array.isArray(d.symbols)) parts.push(symbolList((d.symbols as unknown[]).map(String)));
  if (typeof d.interval === 'string') parts.push(d.interval);
  if (Array.isArray(d.fresh)) parts.push(`+ ${d.fresh.length} fresh`);
  if (Array.isArray(d.segments) && p.action === 'constrain_universe') parts.push(`to ${(d.segments as unknown[]).map(String).join(', ')}`);
  if (Array.isArray(d.keep)) parts.push(`keep ${symbolList((d.keep as unknown[]).map(String))}`);
  if (typeof d.mode === 'string') parts.push(d.mode);
  if (typeof d.sector === 'string') parts.push(`(${d.sector})`);
  if (p.action === 'download' && typeof d.source === 'string') parts.push(`from ${d.source}${d.fetch !== d.interval ? ` (${String(d.fetch)} bars)` : ''}`);
  return parts.join(' ');
}

export function gateLine(v: GateVerdict): string {
  return v.verdict === 'PASS' ? `✓ ${v.gate}` : v.verdict === 'FAIL' ? `✗ ${failureReason(v)}` : `◌ ${v.gate} insufficient`;
}

export function closeIteration(it: Iteration): HistoryItem {
  const lines = [it.title];
  if (it.runs.length > 0) lines.push(`   runs: ${it.runs.join(' · ')}`);
  if (it.gates.length > 0) lines.push(`   gates: ${it.gates.map(gateLine).join('  ')}`);
  for (const n of it.notes.slice(-2)) lines.push(`   · ${n}`);
  if (it.review !== null) lines.push(`   reviewer: ${it.review}`);
  return { id: it.id, lines };
}

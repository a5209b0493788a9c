import { outside } from '../../core/anonymise/intent.ts';
import { unsupportedNumbers } from '../../core/anonymise/numbers.ts';
import { ReviewAggregatesSchema, type ReviewAggregates } from '../../core/anonymise/schema.ts';
import type { AgentOptions, AgentResult, Review, ReviewerPort, ReviewInput } from '../../core/research/ports.ts';
import { formatNumber } from '../../core/format/numbers.ts';

/**
 * The deterministic Reviewer (offline fallback, DESIGN §1 stage 8): a templated diagnosis of the
 * anonymised aggregates against the stated intent. It quotes only numbers of its input, formatted
 * as roundings of them, so `unsupportedNumbers` finds nothing to flag.
 *
 * Findings, checked in this order (at most four, after one overview sentence):
 *   holding    mean holding days outside the intent's band                → mismatch
 *   frequency  trades per year per series below ½ · min or above 2 · max   → mismatch
 *   profile    win rate outside the style's band                           → mismatch
 *   sector     ≥ 2 sectors and one carries the edge: the only one with a positive average
 *              trade, or ≥ 70 % of the summed trade returns                → concentration
 *   regime     ≥ 2 regimes of a dimension traded and only one positive     → concentration
 *   gates      each failed gate, with its measured value and threshold
 * intent_match: no trades or ≥ 2 mismatches → no; 1 mismatch or a concentration → partly; else yes.
 */
export class RulesReviewer implements ReviewerPort {
  async review(input: ReviewInput, opts: AgentOptions = {}): Promise<AgentResult<Review>> {
    opts.signal?.throwIfAborted();
    const parsed = ReviewAggregatesSchema.safeParse(input.aggregates);
    const { sentences, intent_match } = parsed.success
      ? diagnose(parsed.data)
      : { sentences: ['The review input did not have the expected aggregate form, so intent and results could not be compared.', 'Treat this step as unreviewed.'], intent_match: 'partly' as const };
    const diagnosis = sentences.join(' ');
    return { value: { diagnosis, intent_match, unsupported_numbers: unsupportedNumbers(diagnosis, input) }, source: 'rules' };
  }
}

const SHARE_CONCENTRATED = 0.7;
const MAX_FINDINGS = 4;

/** Fraction → "0.41%": a rounding of the input number, which is all the number check allows. */
const words = (style: string): string => style.replace('_', ' ');

export function diagnose(a: ReviewAggregates): { sentences: string[]; intent_match: Review['intent_match'] } {
  const p = a.pooled;
  const { intent } = a;
  const hold = `${intent.holding_period}-holding`;
  const nSectors = `${p.sectors} sector${p.sectors === 1 ? '' : 's'}`;
  if (p.trades === 0 || p.avg_trade_return === null || p.win_rate === null) {
    return { sentences: [`Across ${p.series} series in ${nSectors} there was no closed trade.`, `Nothing here shows the ${words(intent.style)} behaviour the idea describes.`], intent_match: 'no' };
  }
  const pf = p.profit_factor === null ? 'no losing trade' : `profit factor ${p.profit_factor}`;
  const overview = `Across ${p.series} series in ${nSectors}, ${p.trades} trades averaged ${formatNumber(p.avg_trade_return, 'percent')} (win rate ${formatNumber(p.win_rate, 'percent')}, ${pf}).`;

  const mismatches: string[] = [];
  const concentrations: string[] = [];

  if (p.avg_holding_days !== null) {
    const side = outside(p.avg_holding_days, intent.holding_days);
    if (side > 0) {
      mismatches.push(`Positions were held ${p.avg_holding_days} days on average, beyond the ${intent.holding_days.max}-day ceiling of a ${intent.holding_period} holding period` +
        `${intent.style === 'mean_reversion' ? ', so the reversion takes longer than the idea assumes' : ''}.`);
    } else if (side < 0) {
      mismatches.push(`Positions were held ${p.avg_holding_days} days on average, under the ${intent.holding_days.min}-day floor of a ${intent.holding_period} holding period.`);
    }
  }

  const f = intent.trades_per_year_per_series;
  if (p.trades_per_year_per_series !== null) {
    const side = outside(p.trades_per_year_per_series, f, 2);
    const band = f.max === null ? `at least ${f.min}` : `${f.min} to ${f.max}`;
    if (side !== 0) mismatches.push(`Each series traded ${p.trades_per_year_per_series} times a year, far ${side < 0 ? 'below' : 'above'} the ${band} a ${hold} strategy implies.`);
  }

  const side = outside(p.win_rate, intent.win_rate);
  if (side < 0) mismatches.push(`A win rate of ${formatNumber(p.win_rate, 'percent')} with ${pf} is the profile of fewer, larger wins, not the frequent small wins ${words(intent.style)} aims for.`);
  if (side > 0) mismatches.push(`A win rate of ${formatNumber(p.win_rate, 'percent')} is high for ${words(intent.style)}, which usually wins less often but bigger; the exits may cut winners short.`);

  const sector = sectorConcentration(a);
  if (sector !== null) concentrations.push(sector);
  concentrations.push(...regimeConcentration(a));

  const gates = a.gates.filter((g) => g.verdict !== 'PASS').map((g) => {
    const c = g.checks.find((x) => x.verdict === g.verdict);
    const what = g.verdict === 'FAIL' ? 'failed' : 'could not judge yet';
    return c === undefined ? `The ${g.gate} gate ${what}.` : `The ${g.gate} gate ${what}: ${c.name} was ${c.value ?? 'unmeasured'} against ${c.op} ${c.threshold}.`;
  });

  const findings = [...mismatches, ...concentrations, ...gates].slice(0, MAX_FINDINGS);
  if (findings.length === 0) findings.push(`Holding time, trade frequency and the win/loss profile fit a ${hold} ${words(intent.style)} intent.`);
  const intent_match = mismatches.length >= 2 ? 'no' : mismatches.length === 1 || concentrations.length > 0 ? 'partly' : 'yes';
  return { sentences: [overview, ...findings], intent_match };
}

function sectorConcentration(a: ReviewAggregates): string | null {
  if (a.sectors.length < 2) return null;
  const positive = a.sectors.filter((s) => (s.avg_trade_return ?? 0) > 0);
  const only = positive.length === 1 ? positive[0]! : null;
  if (only !== null) {
    return `The edge is concentrated in ${only.sector}: ${only.positive_symbols} of its ${only.symbols} symbols have a positive average trade (${formatNumber(only.avg_trade_return!, 'percent')} pooled), and no other sector's average trade is positive.`;
  }
  const top = a.sectors.find((s) => s.pnl_share !== null && s.pnl_share >= SHARE_CONCENTRATED && s.pnl_share <= 1);
  return top === undefined ? null : `${top.sector} carries ${formatNumber(top.pnl_share!, 'percent')} of the summed trade returns, so the edge leans on one sector.`;
}

function regimeConcentration(a: ReviewAggregates): string[] {
  const out: string[] = [];
  for (const dim of ['volatility', 'trend']) {
    const traded = a.regimes.filter((r) => r.dimension === dim && r.trades > 0 && r.avg_trade_return !== null);
    const positive = traded.filter((r) => r.avg_trade_return! > 0);
    if (traded.length >= 2 && positive.length === 1) {
      const r = positive[0]!;
      out.push(`By ${dim} regime, only ${r.regime} had a positive average trade (${formatNumber(r.avg_trade_return!, 'percent')} over ${r.trades} trades).`);
    }
  }
  return out;
}

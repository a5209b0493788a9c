import { inferredMetaNote, modelMetaReasons } from '../agents/translate/meta-notes.ts';
import { summarize } from '../agents/translate/summary.ts';
import { UserError } from '../core/errors.ts';
import type { AgentOptions, AgentResult, TranslationOut, TranslatorPort, UniverseView } from '../core/research/ports.ts';
import { resolveCosts } from '../core/spec/costs.ts';
import type { Meta } from '../core/spec/schema.ts';

type Market = Meta['market_type'];
// Inferred: by the translator's default, or by a model from the idea's text (neither is stated).
const MARKET_NOTE = /^meta: .*\bmarket (\w+), (?:by default \(nothing in the idea names a market\)|chosen by the model)/;
const COSTS_NOTE = /^costs: the idea states no (costs|fees|slippage);/;

/**
 * Fits a translated spec's market to the universe it will run on, before any session is recorded.
 * A market the translator only inferred (the idea named none) gives way when the universe has no
 * data for it but has data for exactly one other market: that market is used, its default costs
 * replace the inferred market's where the idea stated none, and the meta note says so. Otherwise a
 * market with no data is refused (exit 2) with what the universe has and how to fix it.
 */
export function fitMarket(t: TranslationOut, universe: UniverseView): TranslationOut {
  const counts = new Map<Market, number>();
  for (const s of universe.symbols()) counts.set(s.market_type, (counts.get(s.market_type) ?? 0) + 1);
  const want = t.spec.meta.market_type;
  if (counts.has(want)) return t;
  const have = [...counts.keys()];
  const noteAt = t.warnings.findIndex((w) => MARKET_NOTE.exec(w)?.[1] === want);
  const inferred = noteAt >= 0;
  if (!inferred || have.length !== 1) {
    const has = have.length === 0 ? 'no symbols at all' : have.map((m) => `${m} (${counts.get(m)} symbol${counts.get(m) === 1 ? '' : 's'})`).join(', ');
    const restate = have.length === 0 ? '' : `, or state the idea's market (${have.join(' or ')}: "market ${have[0]}" in the rule language, "// @gauntlet market=${have[0]}" in Pine)`;
    throw new UserError(`the idea's market is ${want} (${inferred ? 'inferred: the idea names none' : 'stated'}), but the universe has no ${want} data; it has ${has}. No session was recorded. Use a universe with ${want} data (--universe DIR; gauntlet data import, docs/data.md)${restate}.`, 2);
  }
  const market = have[0]!;
  // Costs the idea left out were the inferred market's defaults: the new market's apply instead.
  const costsAt = t.warnings.findIndex((w) => COSTS_NOTE.test(w));
  const missing = costsAt < 0 ? null : COSTS_NOTE.exec(t.warnings[costsAt]!)![1]!;
  const stated = {
    fees_bps: missing === 'costs' || missing === 'fees' ? null : t.spec.execution.fees_bps,
    slippage_bps: missing === 'costs' || missing === 'slippage' ? null : t.spec.execution.slippage_bps,
  };
  const costs = resolveCosts(stated, market);
  const spec = { ...t.spec, meta: { ...t.spec.meta, market_type: market }, execution: costs.execution };
  const note = t.warnings[noteAt]!;
  const kind = note.includes('// @gauntlet') ? 'pine' : 'rules';
  const holdingStated = !note.includes('holding period');
  const byModel = /\bholding period \w+, chosen by the model/.test(note);
  const newNote = inferredMetaNote(spec.meta, spec, holdingStated ? { holding_period: spec.meta.holding_period } : {}, kind, {
    ...(byModel ? { holding: modelMetaReasons(spec).holding } : {}),
    market: `because the universe has no ${want} data and only ${market} (${counts.get(market)} symbol${counts.get(market) === 1 ? '' : 's'})`,
  });
  const warnings = t.warnings.map((w, k) => (k === noteAt ? newNote! : k === costsAt ? costs.warning! : w));
  return { spec, summary: summarize(spec), warnings };
}

/** Any translator, with its spec's market fitted to the universe (fitMarket). */
export class MarketFitTranslator implements TranslatorPort {
  constructor(private readonly inner: TranslatorPort, private readonly universe: UniverseView) {}

  async translate(idea: string, opts: AgentOptions): Promise<AgentResult<TranslationOut>> {
    const r = await this.inner.translate(idea, opts);
    return { ...r, value: fitMarket(r.value, this.universe) };
  }
}

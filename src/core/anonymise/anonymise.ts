import type { SectorAggregate } from '../director/aggregates.ts';
import type { RegimeAggregate } from '../director/regimes.ts';
import type { GateVerdict } from '../research/gate.ts';
import type { SeriesRun } from '../research/run.ts';
import type { Meta } from '../spec/schema.ts';
import { intentBands } from './intent.ts';
import { ReviewAggregatesSchema, type ReviewAggregates, type SectorSummary, type SeriesAggregate } from './schema.ts';
import { busiestPeriod, clockOf, holding, spanText, troughText } from './series.ts';

/**
 * The Reviewer's view of the research (DESIGN §6 LLM hygiene): aggregates only, symbols as
 * "<sector> <letter>", times relative to each series. The model cannot lean on what it remembers
 * about a ticker or a year because neither reaches it.
 */

/**
 * Symbol → "<sector> A", "<sector> B" … with letters per sector in the order the symbols were
 * first tested (never the tickers' alphabetical order, which would leak e.g. "A is the first
 * ticker"). After Z: AA, AB …
 */
export function symbolAliases(runs: readonly SeriesRun[]): Map<string, string> {
  const out = new Map<string, string>();
  const perSector = new Map<string, number>();
  for (const r of runs) {
    if (out.has(r.key.symbol)) continue;
    const n = perSector.get(r.sector) ?? 0;
    perSector.set(r.sector, n + 1);
    out.set(r.key.symbol, `${r.sector} ${letters(n)}`);
  }
  return out;
}

function letters(n: number): string {
  let s = '';
  for (let k = n + 1; k > 0; k = Math.floor((k - 1) / 26)) s = String.fromCharCode(65 + ((k - 1) % 26)) + s;
  return s;
}

const DATE = /\b(?:19|20)\d{2}-\d{2}(?:-\d{2})?(?:[T ][0-9:.]+Z?)?/g;
const YEAR = /\b(?:19|20)\d{2}\b/g;

/** Free text → tickers replaced by their aliases, dates by "[date]", years by "[year]". */
export function scrub(text: string, aliases: ReadonlyMap<string, string>): string {
  const tickers = [...aliases.keys()].sort((a, b) => b.length - a.length).map((t) => t.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&'));
  const named = tickers.length === 0 ? text : text.replace(new RegExp(`(?<![A-Za-z0-9])(?:${tickers.join('|')})(?![A-Za-z0-9])`, 'g'), (m) => aliases.get(m) ?? m);
  return named.replace(DATE, '[date]').replace(YEAR, '[year]');
}

/** 3 significant digits: what the reviewer sees and may quote. Integers stay exact; non-finite → null. */
export function r3(x: number | null | undefined): number | null {
  if (x === null || x === undefined || !Number.isFinite(x)) return null;
  return Number.isInteger(x) ? x : Number(x.toPrecision(3));
}

export interface AnonymiseOptions {
  regimes?: readonly RegimeAggregate[];
  /** Code-computed facts to pass along; they are scrubbed like any text. */
  notes?: readonly string[];
}

export function anonymise(
  runs: readonly SeriesRun[], meta: Meta, verdicts: readonly GateVerdict[], sectors: readonly SectorAggregate[], opts: AnonymiseOptions = {},
): ReviewAggregates {
  const aliases = symbolAliases(runs);
  const alias = (s: string): string => aliases.get(s) ?? scrub(s, aliases);
  const pnlTotal = sectors.reduce((s, a) => s + a.pnl, 0);
  const out: ReviewAggregates = {
    intent: intentBands(meta),
    pooled: pooled(runs),
    series: runs.map((r) => seriesAggregate(r, alias(r.key.symbol))),
    sectors: sectors.map((a): SectorSummary => ({
      sector: a.sector,
      labels: a.symbols.map(alias),
      symbols: a.symbols.length,
      trades: a.trades,
      avg_trade_return: r3(a.avg_trade_return),
      positive_symbols: a.positive_symbols,
      stability: r3(a.stability),
      pooled_sharpe: r3(a.pooled_sharpe),
      pnl_share: pnlTotal > 0 ? r3(a.pnl / pnlTotal) : null,
    })),
    regimes: (opts.regimes ?? []).map((g) => ({ dimension: g.dimension, regime: g.regime, trades: g.trades, avg_trade_return: r3(g.avg_trade_return), win_rate: r3(g.win_rate) })),
    gates: verdicts.map((v) => ({
      gate: v.gate,
      verdict: v.verdict,
      pass: v.pass,
      checks: v.checks.map((c) => ({
        name: scrub(c.name, aliases), value: r3(c.value), op: c.op, threshold: c.threshold, verdict: c.verdict, pass: c.pass,
        ...(c.note === undefined ? {} : { note: scrub(c.note, aliases) }),
      })),
    })),
    notes: (opts.notes ?? []).map((n) => scrub(n, aliases)),
  };
  // Parsing our own output keeps the shape honest: the LLM prompt and RulesReviewer read this schema.
  return ReviewAggregatesSchema.parse(out);
}

function seriesAggregate(r: SeriesRun, label: string): SeriesAggregate {
  const m = r.metrics;
  const c = clockOf(r);
  const h = holding(r);
  return {
    label, sector: r.sector, interval: r.key.interval, segment: r.segment,
    bars: r.time.length, span: spanText(r, c),
    trades: m.trades, trades_per_year: r3(m.trades_per_year), total_return: r3(m.total_return), sharpe: r3(m.sharpe),
    max_drawdown: r3(m.max_drawdown), exposure: r3(m.exposure), avg_trade_return: r3(m.avg_trade_return),
    win_rate: r3(m.win_rate), profit_factor: r3(m.profit_factor),
    avg_holding_bars: r3(h.bars), avg_holding_days: r3(h.days),
    drawdown_trough: troughText(r, c), busiest_period: (() => {
      const b = busiestPeriod(r, c);
      return b === null ? null : { at: b.at, trades: b.trades, share: r3(b.share)! };
    })(),
  };
}

/** Every trade of every series pooled: the numbers the intent is judged on. */
function pooled(runs: readonly SeriesRun[]): ReviewAggregates['pooled'] {
  let n = 0;
  let sum = 0;
  let wins = 0;
  let gain = 0;
  let loss = 0;
  let days = 0;
  for (const r of runs) {
    for (let i = 0; i < r.trades.count; i++) {
      const x = r.trades.ret[i]!;
      n++;
      sum += x;
      if (x > 0) { wins++; gain += x; } else if (x < 0) loss -= x;
      days += (r.trades.exitTime[i]! - r.trades.entryTime[i]!) / 86_400_000;
    }
  }
  return {
    series: runs.length,
    symbols: new Set(runs.map((r) => r.key.symbol)).size,
    sectors: new Set(runs.map((r) => r.sector)).size,
    trades: n,
    avg_trade_return: n > 0 ? r3(sum / n) : null,
    win_rate: n > 0 ? r3(wins / n) : null,
    profit_factor: loss > 0 ? r3(gain / loss) : null,
    avg_holding_days: n > 0 ? r3(days / n) : null,
    trades_per_year_per_series: runs.length > 0 ? r3(runs.reduce((s, r) => s + r.metrics.trades_per_year, 0) / runs.length) : null,
  };
}

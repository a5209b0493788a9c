/**
 * Runs the integrity suite: one synthetic market at a time (generated, written, loaded as a
 * `--universe` directory), the full headless research loop for every spec on it — rules agents,
 * every proposal approved (`--approve all`), a fixed budget, a fresh store per session — and one
 * verdict row per market × spec. The same code path as `gauntlet research … --approve all`.
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Budget } from '../src/core/budget/budget.ts';
import type { ResearchEvent } from '../src/core/research/events.ts';
import { approveAllAndPromote } from '../src/agents/rules/approvers.ts';
import { runResearch } from '../src/core/research/loop.ts';
import { paramProblem } from '../src/core/spec/params.ts';
import { parseSpecText } from '../src/core/spec/parse.ts';
import type { Spec } from '../src/core/spec/schema.ts';
import { openStore } from '../src/core/store/store.ts';
import { generateMarket, writeMarket, type SynthMarket } from '../src/engine/data/synth.ts';
import { permutedMarket } from '../src/engine/data/permuted-market.ts';
import { loadBundledUniverse, loadUniverseDir, type Universe } from '../src/engine/data/universe.ts';
import { bufferIo } from '../src/commands/io.ts';
import { researchDeps } from '../src/commands/research-wiring.ts';
import { rulesAgents } from '../src/commands/agents-wiring.ts';
import type { VersionedGateConfig } from '../src/core/gates/config.ts';
import { gatesJudge } from '../src/core/gates/judge.ts';
import { GICS_SIZES, matches, type EdgeShare, type MarketDef, type MarketKind, type NoiseKind, type SpecDef } from './integrity-suite.ts';
import { bandOf, oracleT, type Band } from './integrity-oracle.ts';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** What became of one research session. */
export type Outcome = 'PROMOTED' | 'FROZEN' | 'KILLED' | `DEAD:${string}`;

export interface RunRow {
  market: string;
  market_kind: MarketKind;
  /** The noise kind (null on edge markets). */
  noise_kind: NoiseKind | null;
  interval: string;
  strength: number;
  /** Sectors of the market. */
  sectors: number;
  /** Which symbols carry the edge: all, one sector of 11 (null on noise). */
  share: EdgeShare | null;
  spec: string;
  style: string;
  /** The spec's style trades the market's edge kind (always false on noise). */
  matching: boolean;
  status: 'DEAD' | 'FROZEN' | 'KILLED' | 'PROMOTED' | 'ERROR';
  /** DEAD:<gate that failed>, or the status; ERROR when the loop threw (a bug or a refused step). */
  outcome: Outcome | 'ERROR';
  /** The outcome with FROZEN split by why: FROZEN:insufficient evidence, FROZEN:budget exhausted, FROZEN:nothing left to propose, FROZEN:other. */
  verdict: string;
  reason: string;
  credits: number;
  trials: number;
  runs: number;
  /** The tested set at promotion (empty otherwise) and how many of its symbols carry the edge. */
  promoted_symbols: string[];
  promoted_edge_symbols: number;
  stable_across: string | null;
  /** The approved steps in order (action, and the interval moved to), e.g. initial_backtest add_symbol … promote. */
  path: string[];
  /** A promotion on an edge market, by a matching spec, whose tested set includes the edge's sector. */
  true_promotion: boolean;
  /** The oracle (integrity-oracle.ts): this spec at its starting values on every symbol of the scope, full data. */
  oracle_t: number | null;
  oracle_band: Band;
  oracle_trades: number;
  /** The same on the edge's symbols only (the edge sector; the whole scope when every symbol carries it; null on noise). */
  oracle_t_edge: number | null;
  oracle_band_edge: Band | null;
  ms: number;
}

/** FROZEN split by the reason's opening words (the loop's wording: "insufficient evidence: …", "budget exhausted: …"). */
export function verdictOf(outcome: RunRow['outcome'], reason: string): string {
  if (outcome !== 'FROZEN') return outcome;
  if (reason.startsWith('insufficient evidence')) return 'FROZEN:insufficient evidence';
  if (reason.startsWith('budget exhausted')) return 'FROZEN:budget exhausted';
  if (reason.startsWith('the Director has nothing left to propose')) return 'FROZEN:nothing left to propose';
  return 'FROZEN:other';
}

export interface RunOptions {
  /** Research seed (probes, subsamples, searches). */
  seed: number;
  budget: number;
  /** Scratch directory for markets and stores (removed per market unless `keep`). */
  workDir: string;
  keep?: boolean;
  /** Judge with this gate config instead of the defaults (what-if runs). */
  gates?: VersionedGateConfig;
  progress?: (line: string) => void;
}

/** An example spec with the suite's starting values (checked against the declared ranges). */
export function suiteSpec(def: SpecDef): Spec {
  const file = join(ROOT, 'specs', def.file);
  const raw = JSON.parse(readFileSync(file, 'utf8')) as { params: Record<string, { value: number }> };
  for (const [name, value] of Object.entries(def.params)) {
    const p = raw.params[name];
    if (p === undefined) throw new Error(`integrity suite: ${def.id}: ${def.file} has no param "${name}"`);
    p.value = value;
  }
  const spec = parseSpecText(JSON.stringify(raw), `${def.file} (suite values for ${def.id})`);
  for (const [name, p] of Object.entries(spec.params)) {
    const problem = paramProblem(name, p, p.value);
    if (problem !== null) throw new Error(`integrity suite: ${def.id}: ${problem}`);
  }
  return spec;
}


/**
 * One research session on `universe` with every proposal approved, a promotion included: a batch run
 * pre-approves it as `--approve all+promote` does (plain --approve all would stop there, SUSPENDED).
 * The row minus market facts.
 */
export async function researchOnce(
  idea: string, universe: Universe, dbDir: string, o: { seed: number; budget: number; gates?: VersionedGateConfig },
): Promise<Omit<RunRow, 'market' | 'market_kind' | 'noise_kind' | 'interval' | 'strength' | 'sectors' | 'share' | 'spec' | 'style' | 'matching' | 'true_promotion' | 'promoted_edge_symbols' | 'oracle_t' | 'oracle_band' | 'oracle_trades' | 'oracle_t_edge' | 'oracle_band_edge' | 'verdict'>> {
  const started = performance.now();
  const store = await openStore(dbDir);
  const io = bufferIo({}, ROOT);
  let summary: Extract<ResearchEvent, { event: 'summary' }> | null = null;
  let failed: string | null = null;
  let promoted: { symbols: string[]; stable: string | null } | null = null;
  const offered = new Map<string, string>();
  const path: string[] = [];
  try {
    const agents = rulesAgents();
    const deps = {
      ...researchDeps({ universe, store, approver: approveAllAndPromote, seed: o.seed, budget: new Budget({ credits: o.budget }), mode: 'auto', io, agents }),
      ...(o.gates === undefined ? {} : { judge: gatesJudge(o.gates) }),
    };
    for await (const e of runResearch(idea, deps)) {
      if (e.event === 'gate' && e.verdict.verdict === 'FAIL' && failed === null) failed = e.verdict.gate;
      if (e.event === 'proposal') offered.set(e.proposal.id, e.proposal.action === 'add_interval' ? `add_interval:${String((e.proposal.detail as { interval?: string }).interval)}` : e.proposal.action);
      if (e.event === 'decision' && e.decision === 'approved') path.push(offered.get(e.proposal_id) ?? e.proposal_id);
      if (e.event === 'proposal' && e.proposal.action === 'promote') {
        const d = e.proposal.detail as { symbols?: string[]; stable_across?: string };
        promoted = { symbols: [...(d.symbols ?? [])], stable: d.stable_across ?? null };
      }
      if (e.event === 'summary') summary = e;
    }
  } catch (e) {
    const ms = performance.now() - started;
    return { status: 'ERROR', outcome: 'ERROR', reason: e instanceof Error ? e.message : String(e), credits: 0, trials: 0, runs: 0, promoted_symbols: [], stable_across: null, path, ms };
  } finally {
    await store.close();
  }
  const ms = performance.now() - started;
  if (summary === null) return { status: 'ERROR', outcome: 'ERROR', reason: 'the loop ended without a summary', credits: 0, trials: 0, runs: 0, promoted_symbols: [], stable_across: null, path, ms };
  const s: Extract<ResearchEvent, { event: 'summary' }> = summary;
  const outcome: Outcome = s.status === 'DEAD' ? `DEAD:${failed ?? 'other'}` : s.status;
  const isPromoted = s.status === 'PROMOTED' && promoted !== null;
  return {
    status: s.status, outcome, reason: s.reason, credits: s.credits_spent, trials: s.trials, runs: s.runs,
    promoted_symbols: isPromoted ? promoted!.symbols : [], stable_across: isPromoted ? promoted!.stable : null, path, ms,
  };
}

let bundled: Universe | null = null;
/** The bundled data, loaded once per process (permuted markets draw from it). */
function bundledUniverse(): Universe {
  bundled ??= loadBundledUniverse(undefined, { cwd: ROOT, env: process.env });
  return bundled;
}

/** Real symbols need nearly the whole 2013–2018 span (1,259 daily bars) to be drawn for a permuted market. */
export const PERMUTED_MIN_BARS = 1200;

/** The market of a definition, in memory: a synthetic market, or real bars permuted in time. */
export function buildMarket(m: MarketDef): Pick<SynthMarket, 'universe' | 'bars'> {
  if (m.noise === 'permuted') {
    return permutedMarket(bundledUniverse(), { seed: m.seed, interval: m.interval, sectorSizes: GICS_SIZES, minBars: PERMUTED_MIN_BARS });
  }
  const edge = m.kind === 'noise' ? { kind: 'none' as const } : { kind: m.kind, sector: m.sector!, strength: m.strength };
  return generateMarket({
    seed: m.seed, symbols: m.symbols, sectors: m.sectors, interval: m.interval, days: m.days, edge,
    ...(m.layout === 'gics' ? { sectorSizes: GICS_SIZES } : {}), ...(m.annual_drift === null ? {} : { annualDrift: m.annual_drift }),
  });
}

/** Generates one market into `workDir`, researches every spec on it, returns one row per spec. */
export async function runMarket(m: MarketDef, specs: readonly SpecDef[], o: RunOptions): Promise<RunRow[]> {
  const dir = join(o.workDir, m.id);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const market = buildMarket(m);
  await writeMarket(join(dir, 'market'), market);
  const edgeSymbols = new Set(Object.entries(market.universe.symbols).filter(([, s]) => m.kind !== 'noise' && s.sector === m.sector).map(([sym]) => sym));
  const universe = loadUniverseDir(join(dir, 'market'), { cacheDir: null, cwd: ROOT, env: {} });
  const scope = universe.symbols();
  const rows: RunRow[] = [];
  try {
    for (const def of specs) {
      const spec = suiteSpec(def);
      const oracle = oracleT(spec, universe, scope, m.interval);
      const oracleEdge = m.kind === 'noise' ? null : oracleT(spec, universe, scope.filter((s) => edgeSymbols.has(s)), m.interval);
      const r = await researchOnce(JSON.stringify(spec), universe, join(dir, `db-${def.id}`), o);
      const matching = matches(spec.meta.style, m.kind);
      const inEdge = r.promoted_symbols.filter((s) => edgeSymbols.has(s)).length;
      const row: RunRow = {
        market: m.id, market_kind: m.kind, noise_kind: m.noise, interval: m.interval, strength: m.strength, sectors: m.sectors, share: m.share,
        spec: def.id, style: spec.meta.style, matching,
        ...r, verdict: verdictOf(r.outcome, r.reason), promoted_edge_symbols: inEdge, true_promotion: r.status === 'PROMOTED' && matching && inEdge > 0,
        oracle_t: oracle.t, oracle_band: bandOf(oracle.t), oracle_trades: oracle.trades,
        oracle_t_edge: oracleEdge?.t ?? null, oracle_band_edge: oracleEdge === null ? null : bandOf(oracleEdge.t),
      };
      rows.push(row);
      o.progress?.(`${m.id} × ${def.id}: ${row.verdict} (${row.credits} cr, oracle t ${oracle.t?.toFixed(2) ?? '–'}, ${Math.round(row.ms)} ms)`);
    }
  } finally {
    if (o.keep !== true) rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

export interface RealRow {
  spec: string;
  status: RunRow['status'];
  outcome: RunRow['outcome'];
  reason: string;
  credits: number;
  stable_across: string | null;
  ms: number;
}

/** The example specs as shipped (and the suite's variants) on the bundled real data. */
export async function runRealData(specs: ReadonlyArray<{ id: string; idea: string }>, o: RunOptions): Promise<RealRow[]> {
  const universe = loadBundledUniverse(undefined, { cwd: ROOT, env: process.env });
  const out: RealRow[] = [];
  const dir = join(o.workDir, 'real');
  mkdirSync(dir, { recursive: true });
  try {
    for (const s of specs) {
      const r = await researchOnce(s.idea, universe, join(dir, `db-${s.id}`), o);
      out.push({ spec: s.id, status: r.status, outcome: r.outcome, reason: r.reason, credits: r.credits, stable_across: r.stable_across, ms: r.ms });
      o.progress?.(`real data × ${s.id}: ${r.outcome} (${r.credits} cr, ${Math.round(r.ms)} ms)`);
    }
  } finally {
    if (o.keep !== true) rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

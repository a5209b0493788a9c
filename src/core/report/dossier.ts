import { z } from 'zod';
import { CheckSchema, type Check } from '../research/gate.ts';
import { verifyLedger } from '../ledger/verify.ts';
import type { InvariantCode } from '../invariants.ts';
import { canonicalJson } from '../spec/hash.ts';
import { SpecSchema, type Spec } from '../spec/schema.ts';
import { familyOf, promotionEntry, resolveSpec, type StoreView } from './family.ts';
import { renderDossier } from './dossier-markdown.ts';

/**
 * A strategy's dossier: everything the store knows about one spec family (same logic_hash), as
 * plain data. `dossierMarkdown` renders it; `gauntlet export --json` prints it as is. Pure: it
 * reads only what it is given (the ledger head, which lives in a file, is passed in).
 */

export interface DossierVersion { id: string; parent: string | null; depth: number; created_at: string; params: Record<string, number> }
export interface DossierTrial { seq: number; session: string; source: string; params: Record<string, number>; sharpe: number }
export interface DossierGate {
  id: string; session: string; spec_id: string; created_at: string; gate: string; verdict: 'PASS' | 'FAIL' | 'INSUFFICIENT' | 'DEAD';
  /** The gate config version that judged ("gates@1" for stores written before versions were named). */
  config_version: string;
  checks: Check[];
  sample: Record<string, number>;
  /** The measured payload as stored, when it is not a list of checks. */
  raw: unknown;
  reason: string | null;
}
export interface DossierDecision {
  proposal_id: string; session: string; created_at: string; action: string; quantity: number; cost: number; source: string;
  justification: string; expected_information_gain: string;
  decision: 'approved' | 'vetoed' | 'killed' | 'pending'; by: string | null; note: string | null;
  /** The ledger spend that paid for it, and what it actually cost there (0 when nothing was spent). */
  ledger_seq: number | null; spent: number;
}
export interface DossierReview { session: string; created_at: string; source: string; intent_match: string; diagnosis: string; unsupported_numbers: string[] }
export interface DossierSession {
  id: string; mode: string; status: string; reason: string | null; granted: number; spent: number; created_at: string;
  /** The session's universe declared itself survivorship-biased (universe.json `survivorship`). */
  survivorship_biased: boolean;
}
export interface DossierPromotion { library_id: string; session: string; spec_id: string; added_at: string; promotion_id: string | null; stable_across: string | null; ledger_seq: number | null }
export interface DossierLedgerEntry { seq: number; ts: string; session: string; kind: string; action: string; cost: number; credit: number; balance: number; hash: string; prev: string }
export interface DossierVerify { ok: boolean; entries: number; first_bad: { seq: number; code: InvariantCode; reason: string } | null; head: string | null }

export interface Dossier {
  name: string;
  spec_id: string;
  logic_hash: string;
  params_hash: string;
  spec: Spec;
  /** The exact text whose sha256 is the spec id. */
  canonical_json: string;
  versions: DossierVersion[];
  sessions: DossierSession[];
  trials: DossierTrial[];
  gates: DossierGate[];
  decisions: DossierDecision[];
  reviews: DossierReview[];
  promotions: DossierPromotion[];
  ledger: DossierLedgerEntry[];
  /** Verification of the whole chain (the excerpt's hashes only mean something if it holds). */
  verify: DossierVerify;
}

export interface DossierOptions {
  /** A problem with the ledger head file (a truncated ledger), found by the caller; null when none. */
  headProblem?: string | null;
}

/**
 * Checks as stored: gates@2 records carry a verdict per check and the sample; gates@1 records have only
 * `pass`, which meant PASS or a v1 failure (read as FAIL, with the record's version beside it).
 */
const StoredCheckSchema = CheckSchema.extend({ verdict: CheckSchema.shape.verdict.optional() })
  .transform((c): Check => ({ ...c, verdict: c.verdict ?? (c.pass ? 'PASS' : 'FAIL') }));
const ChecksSchema = z.strictObject({ checks: z.array(StoredCheckSchema), sample: z.record(z.string(), z.number()).optional() });
const ReviewPayload = z.object({ diagnosis: z.string(), intent_match: z.string(), unsupported_numbers: z.array(z.string()).default([]) });

/** Builds the dossier of the spec `query` (full id or unique prefix) names; UserError (exit 2) if none or several match. */
export function buildDossier(data: StoreView, query: string, opts: DossierOptions = {}): Dossier {
  const rec = resolveSpec(data, query);
  const fam = familyOf(data, rec);
  const spec = SpecSchema.parse(rec.spec);
  const spends = new Map(fam.ledger.filter((e) => e.kind === 'spend').map((e) => [e.seq, e]));
  const verdict = verifyLedger(data.ledger);
  return {
    name: spec.name,
    spec_id: rec.id,
    logic_hash: rec.logic_hash,
    params_hash: rec.params_hash,
    spec,
    canonical_json: canonicalJson(rec.spec),
    versions: fam.versions.map(({ record, depth }) => ({ id: record.id, parent: record.parent, depth, created_at: record.created_at, params: paramsOf(record.spec) })),
    sessions: fam.sessions.map((s) => {
      const own = fam.ledger.filter((e) => e.session === s.id);
      return {
        id: s.id, mode: s.mode, status: s.status, reason: s.reason, created_at: s.created_at,
        granted: own.filter((e) => e.kind === 'grant').reduce((a, e) => a + e.credit, 0),
        spent: own.filter((e) => e.kind === 'spend').reduce((a, e) => a + e.cost, 0),
        survivorship_biased: own.some((e) => e.action === 'translate' && e.payload.survivorship === 'biased'),
      };
    }),
    trials: fam.trials.map((e) => ({
      seq: e.seq, session: e.session, source: typeof e.payload.source === 'string' ? e.payload.source : '?',
      params: numberRecord(e.payload.params), sharpe: typeof e.payload.sharpe === 'number' ? e.payload.sharpe : NaN,
    })),
    gates: fam.gates.map((g) => {
      const parsed = ChecksSchema.safeParse(g.measured);
      return {
        id: g.id, session: g.session, spec_id: g.spec_id, created_at: g.created_at, gate: g.gate, verdict: g.verdict, config_version: g.config_version,
        checks: parsed.success ? parsed.data.checks : [], sample: parsed.success ? parsed.data.sample ?? {} : {},
        raw: parsed.success ? null : g.measured, reason: g.reason,
      };
    }),
    decisions: fam.proposals.map((p) => {
      const d = fam.decisions.find((x) => x.proposal_id === p.id);
      const spend = d?.ledger_seq !== null && d?.ledger_seq !== undefined ? spends.get(d.ledger_seq) : undefined;
      return {
        proposal_id: p.id, session: p.session, created_at: p.created_at, action: p.action, quantity: p.quantity, cost: p.cost, source: p.source,
        justification: p.justification, expected_information_gain: p.expected_information_gain,
        decision: d?.decision ?? 'pending', by: d?.by ?? null, note: d?.note ?? null,
        ledger_seq: d?.ledger_seq ?? null, spent: spend?.cost ?? 0,
      };
    }),
    reviews: fam.reviews.map((r) => {
      const p = ReviewPayload.safeParse(r.payload);
      return {
        session: r.session, created_at: r.created_at, source: r.source,
        intent_match: p.success ? p.data.intent_match : '?',
        diagnosis: p.success ? p.data.diagnosis : JSON.stringify(r.payload),
        unsupported_numbers: p.success ? p.data.unsupported_numbers : [],
      };
    }),
    promotions: fam.library.map((l) => {
      const e = promotionEntry(fam.ledger, l.promotion_id);
      const stable = l.payload.stable_across ?? e?.payload.stable_across;
      return { library_id: l.id, session: l.session, spec_id: l.spec_id, added_at: l.added_at, promotion_id: l.promotion_id, stable_across: typeof stable === 'string' ? stable : null, ledger_seq: e?.seq ?? null };
    }),
    ledger: fam.ledger.map((e) => ({ seq: e.seq, ts: e.ts, session: e.session, kind: e.kind, action: e.action, cost: e.cost, credit: e.credit, balance: e.balance, hash: e.hash, prev: e.prev })),
    verify: { ok: verdict.ok && (opts.headProblem ?? null) === null, entries: verdict.entries, first_bad: verdict.first_bad ?? null, head: opts.headProblem ?? null },
  };
}

/** The dossier as Markdown (see dossier-markdown.ts for the layout). */
export function dossierMarkdown(data: StoreView, query: string, opts: DossierOptions = {}): string {
  return renderDossier(buildDossier(data, query, opts));
}

function paramsOf(spec: unknown): Record<string, number> {
  const params = (spec as { params?: Record<string, { value?: unknown }> } | null)?.params ?? {};
  const out: Record<string, number> = {};
  for (const [k, p] of Object.entries(params)) if (typeof p?.value === 'number') out[k] = p.value;
  return out;
}

function numberRecord(v: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return out;
  for (const [k, x] of Object.entries(v)) if (typeof x === 'number') out[k] = x;
  return out;
}

import { UserError } from '../errors.ts';
import type { LedgerEntry } from '../ledger/schema.ts';
import type { RecordOf, SpecRecord, StoreData } from '../store/schema.ts';

/**
 * A strategy family: every spec version with one logic_hash (params change, logic does not), and
 * everything the store holds about it. The dossier and the console's browsers read stores
 * through this one view, so "what belongs to a strategy" is decided in one place.
 */

/** What the readers need of a store: its collections as of one read. */
export type StoreView = Pick<Readonly<StoreData>, 'specs' | 'ledger' | 'proposals' | 'decisions' | 'runs' | 'gates' | 'reviews' | 'library' | 'sessions'>;

/** Finds one spec by its full id or a unique prefix of it (≥ 4 hex digits); clear errors otherwise (exit 2). */
export function resolveSpec(data: StoreView, query: string): SpecRecord {
  const q = query.trim().toLowerCase();
  if (!/^[0-9a-f]{4,64}$/.test(q)) {
    throw new UserError(`"${query}" is not a spec id: give the id or a prefix of at least 4 hex digits (list them with 'gauntlet specs' or the console's spec browser)`);
  }
  const hits = data.specs.filter((s) => s.id.startsWith(q));
  if (hits.length === 1) return hits[0]!;
  if (hits.length === 0) {
    throw new UserError(`no spec ${q} in this store (${data.specs.length} spec${data.specs.length === 1 ? '' : 's'} stored)${data.specs.length > 0 ? `; known: ${data.specs.slice(0, 5).map((s) => s.id.slice(0, 12)).join(', ')}${data.specs.length > 5 ? ' …' : ''}` : ''}`);
  }
  throw new UserError(`spec prefix ${q} is ambiguous: it matches ${hits.length} specs (${hits.slice(0, 5).map((s) => s.id.slice(0, 12)).join(', ')}${hits.length > 5 ? ' …' : ''}); give more digits`);
}

export interface VersionNode {
  record: SpecRecord;
  /** 0 for a root (no parent, or a parent outside the family). */
  depth: number;
}

/** Versions as a tree walked depth-first, children in the order they were stored. */
export function versionTree(records: ReadonlyArray<SpecRecord>): VersionNode[] {
  const ids = new Set(records.map((r) => r.id));
  const children = new Map<string | null, SpecRecord[]>();
  for (const r of records) {
    const key = r.parent !== null && ids.has(r.parent) ? r.parent : null;
    const list = children.get(key) ?? [];
    list.push(r);
    children.set(key, list);
  }
  const out: VersionNode[] = [];
  // Iterative, so a long chain of versions cannot exhaust the stack.
  const stack: VersionNode[] = (children.get(null) ?? []).map((record) => ({ record, depth: 0 })).reverse();
  const seen = new Set<string>();
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (seen.has(node.record.id)) continue;
    seen.add(node.record.id);
    out.push(node);
    const kids = children.get(node.record.id) ?? [];
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ record: kids[i]!, depth: node.depth + 1 });
  }
  return out;
}

export interface Family {
  logic_hash: string;
  /** The version asked for. */
  spec: SpecRecord;
  versions: VersionNode[];
  /** Sessions that worked on the family, in the order they were stored. */
  sessions: Array<RecordOf<'sessions'>>;
  /** Ledger trials of the family: what the Deflated Sharpe gate counts as N. */
  trials: LedgerEntry[];
  gates: Array<RecordOf<'gates'>>;
  proposals: Array<RecordOf<'proposals'>>;
  decisions: Array<RecordOf<'decisions'>>;
  reviews: Array<RecordOf<'reviews'>>;
  runs: Array<RecordOf<'runs'>>;
  library: Array<RecordOf<'library'>>;
  /** Every ledger entry of the family's sessions, in ledger order. */
  ledger: LedgerEntry[];
}

export function familyOf(data: StoreView, spec: SpecRecord): Family {
  const lh = spec.logic_hash;
  const specs = data.specs.filter((s) => s.logic_hash === lh);
  const ids = new Set(specs.map((s) => s.id));
  const inFamily = (id: string | null | undefined): boolean => id !== null && id !== undefined && ids.has(id);
  const isTrial = (e: LedgerEntry): boolean => e.kind === 'trial' && e.payload.logic_hash === lh;
  const sessionIds = new Set<string>();
  for (const s of data.sessions) if (inFamily(s.spec_id)) sessionIds.add(s.id);
  for (const e of data.ledger) if (inFamily(e.spec_id) || isTrial(e)) sessionIds.add(e.session);
  const proposals = data.proposals.filter((p) => inFamily(p.spec_id));
  const proposalIds = new Set(proposals.map((p) => p.id));
  return {
    logic_hash: lh,
    spec,
    versions: versionTree(specs),
    sessions: data.sessions.filter((s) => sessionIds.has(s.id)),
    trials: data.ledger.filter(isTrial),
    gates: data.gates.filter((g) => inFamily(g.spec_id)),
    proposals,
    decisions: data.decisions.filter((d) => proposalIds.has(d.proposal_id)),
    reviews: data.reviews.filter((r) => inFamily(r.spec_id)),
    runs: data.runs.filter((r) => inFamily(r.spec_id)),
    library: data.library.filter((l) => inFamily(l.spec_id)),
    ledger: data.ledger.filter((e) => sessionIds.has(e.session)),
  };
}

/** The ledger entry that recorded a promotion (the budget reset it paid for), if any. */
export function promotionEntry(ledger: ReadonlyArray<LedgerEntry>, promotionId: string | null): LedgerEntry | undefined {
  return promotionId === null ? undefined : ledger.find((e) => e.kind === 'reset' && e.promotion_id === promotionId);
}
